"""Plain-dict views of stored versions (what the CLI, the API and the editor show)."""

from __future__ import annotations

from datetime import date
from typing import Any

from knowledge.registry import row_doc


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
    return {**summary(row, status), "body": row["body"], "markdown": row_doc(row).to_markdown()}


def listing(rows: list[Any], in_force: Any, policy: Any, today: date) -> dict[str, Any]:
    """One line per policy: its newest version's title and the version in force."""
    newest = rows[-1]
    live = [r for r in rows if not r["withdrawn"]]
    shown = in_force or (live[-1] if live else newest)
    if policy is not None and policy["retired_at"]:
        state = "retired"
    elif in_force is not None:
        state = "active"
    elif any(r["effective_from"] and r["effective_from"] > today.isoformat() for r in live):
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
        "status": state,
        "updated_at": newest["created_at"],
    }
