"""Version rules of publishing: what the editor expects, unchanged documents, version numbers, editor names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.documents import PolicyDoc
from knowledge.errors import EditConflictError, KbError, PolicyFormatError, VersionConflictError
from knowledge.registry import Registry, row_doc

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Expect:
    """What an editor saw when they started, checked inside the publishing transaction."""

    create: bool = False
    """A new policy: refused when the id exists (retired policies keep their id)."""
    base_version: int | None = None
    """The newest live version the edit started from: refused when someone else changed the policy."""
    policy_id: str | None = None
    """The policy being edited: the document must keep its id."""
    replaces: int | None = None
    """A scheduled version this document replaces (it is cancelled in the same transaction)."""


def newest_live(registry: Registry, pid: str) -> int:
    """The newest version that is not withdrawn (0 when none): what `base_version` is compared with."""
    live = [int(r["version"]) for r in registry.versions(pid) if not r["withdrawn"]]
    return max(live, default=0)


def check_expectation(registry: Registry, doc: PolicyDoc, expect: Expect, today: date) -> None:
    """Raise when publishing `doc` would overwrite something the editor did not see."""
    if expect.policy_id and doc.id != expect.policy_id:
        raise PolicyFormatError(code="id_mismatch", field="id", pid=doc.id, expected=expect.policy_id)
    rows = registry.versions(doc.id)
    if expect.create and rows:
        raise EditConflictError(code="id_taken", field="id", pid=doc.id, title=rows[-1]["title"])
    if expect.base_version is not None and rows:
        newest = newest_live(registry, doc.id)
        if newest != expect.base_version:
            last = registry.audit(doc.id, limit=1)
            raise EditConflictError(code="stale_base", field="base_version", pid=doc.id, title=rows[-1]["title"],
                                    base=expect.base_version, newest=newest,
                                    editor=last[0]["editor"] if last else "?")
    if expect.replaces is not None:
        row = next((r for r in rows if r["version"] == expect.replaces), None)
        if row is None or row["withdrawn"] or not row["effective_from"] or row["effective_from"] <= today.isoformat():
            raise EditConflictError(code="not_scheduled", field="version", pid=doc.id, version=expect.replaces)


def unchanged_result(registry: Registry, doc: PolicyDoc, today: date) -> dict[str, Any] | None:
    """The publish result when `doc` says exactly what the newest live version says, else None
    (two start dates that have both come count as the same)."""
    policy = registry.policy(doc.id)
    live = [r for r in registry.versions(doc.id) if not r["withdrawn"]]
    if not live or policy is None or policy["retired_at"]:
        return None
    newest = live[-1]
    stored = row_doc(newest)
    if _started(stored.effective_from, today) and _started(doc.effective_from, today):
        stored.effective_from = doc.effective_from
    if stored.content_key() == doc.content_key() and doc.version in (None, newest["version"]):
        return {
            "policy_id": doc.id,
            "version": newest["version"],
            "status": "unchanged",
            "effective_from": newest["effective_from"],
        }
    return None


def _started(day: date | None, today: date) -> bool:
    return day is None or day <= today


def next_version(doc: PolicyDoc, latest: int) -> int:
    """The version number `doc` gets: the next one, or its own if that is newer than `latest`."""
    if doc.version is None:
        return latest + 1
    if doc.version <= latest:
        raise VersionConflictError(code="version_conflict", field="version", pid=doc.id, version=doc.version,
                                   latest=latest)
    return doc.version


def editor_name(editor: str) -> str:
    """Who made a change (required for the audit log), cleaned of control characters."""
    name = _CONTROL_RE.sub("", str(editor or "")).strip()[:80]
    if not name:
        raise KbError(code="editor_required")
    return name
