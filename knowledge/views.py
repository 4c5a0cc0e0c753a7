"""Plain-dict views of stored versions (what the CLI, the API and the editor show)."""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any

from knowledge.registry import row_doc
from knowledge.twins import twin_facts

LIST_STATUSES = ("active", "scheduled", "retired", "expired")


def status_of(row: Any, in_force: Any, policy: Any, today: date) -> str:
    """current | scheduled | superseded | expired | withdrawn | retired."""
    if policy is not None and policy["retired_at"]:
        return "retired"
    if row["withdrawn"]:
        return "withdrawn"
    if in_force is not None and row["version"] == in_force["version"]:
        return "current"
    if row["effective_from"] and row["effective_from"] > today.isoformat():
        return "scheduled"
    if row["effective_to"] and row["effective_to"] < today.isoformat():
        return "expired"
    return "superseded"


def summary(row: Any, status: str) -> dict[str, Any]:
    """One version without its body."""
    return {
        "policy_id": row["policy_id"],
        "version": row["version"],
        "title": row["title"],
        "category": row["category"],
        "locale": row["locale"],
        "effective_from": row["effective_from"],
        "effective_to": row["effective_to"],
        "status": status,
        "created_at": row["created_at"],
        "editor": row["editor"],
    }


def full(row: Any, status: str) -> dict[str, Any]:
    """One version with its body and the Markdown an editor can edit and re-import."""
    markdown, twin = _rendered(tuple(row.keys()), tuple(row))
    return {**summary(row, status), "body": row["body"], "markdown": markdown, "twin": twin}


@lru_cache(maxsize=1024)
def _rendered(columns: tuple[str, ...], values: tuple[Any, ...]) -> tuple[str, Any]:
    """A stored version's Markdown and twin, kept once worked out (the key is the whole row: any change
    renders anew); the composer reads the policies it cites on every answer."""
    doc = row_doc(dict(zip(columns, values, strict=True)))  # type: ignore[arg-type]
    return doc.to_markdown(), doc.twin


def editable_markdown(row: Any) -> str:
    """A version's Markdown as an editor edits it (no version line: the store numbers versions)."""
    return row_doc(row).to_markdown(with_version=False)


def _scheduled(live: list[Any], today: date) -> list[dict[str, Any]]:
    return [{"version": r["version"], "effective_from": r["effective_from"]}
            for r in live if r["effective_from"] and r["effective_from"] > today.isoformat()]


def listing(rows: list[Any], in_force: Any, policy: Any, today: date, twin: str | None = None) -> dict[str, Any]:
    """One line per policy: its newest version's title and the version in force."""
    newest = rows[-1]
    live = [r for r in rows if not r["withdrawn"]]
    shown = in_force or (live[-1] if live else newest)
    scheduled = _scheduled(live, today)
    if policy is not None and policy["retired_at"]:
        state = "retired"
    elif in_force is not None:
        state = "active"
    elif scheduled:
        state = "scheduled"
    else:
        state = "expired"
    return {
        "policy_id": newest["policy_id"],
        "title": shown["title"],
        "category": shown["category"],
        "locale": shown["locale"],
        "current_version": in_force["version"] if in_force else None,
        "latest_version": newest["version"],
        "base_version": live[-1]["version"] if live else 0,
        "status": state,
        "scheduled": scheduled,
        "updated_at": newest["created_at"],
        **twin_facts(policy, twin),
    }


def fold(text: str) -> str:
    """Text as the list filter compares it: full-width folded, case-insensitive."""
    return unicodedata.normalize("NFKC", text).casefold()


def matches(rows: list[Any], query: str) -> bool:
    """Whether every word of `query` occurs in the policy's id, or a live version's title, category or text."""
    words = fold(query).split()
    if not words:
        return True
    live = [r for r in rows if not r["withdrawn"]] or rows
    haystack = fold(" ".join([rows[-1]["policy_id"]] + [f"{r['title']} {r['category']} {r['body']}" for r in live]))
    return all(word in haystack for word in words)


def wanted(line: dict[str, Any], status: str | None) -> bool:
    """The list's status filter: active, scheduled (also an active policy with a version to come), retired, expired."""
    if not status:
        return True
    if status == "scheduled":
        return line["status"] == "scheduled" or (line["status"] == "active" and bool(line["scheduled"]))
    return bool(line["status"] == status)
