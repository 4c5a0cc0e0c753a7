"""Version rules of publishing: unchanged documents, explicit version numbers, editor names."""

from __future__ import annotations

import re
from typing import Any

from knowledge.documents import PolicyDoc
from knowledge.errors import KbError, VersionConflictError
from knowledge.registry import Registry, row_doc

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")


def unchanged_result(registry: Registry, doc: PolicyDoc) -> dict[str, Any] | None:
    """The publish result when `doc` says exactly what the newest live version says, else None."""
    policy = registry.policy(doc.id)
    live = [r for r in registry.versions(doc.id) if not r["withdrawn"]]
    if not live or policy is None or policy["retired_at"]:
        return None
    newest = live[-1]
    same = row_doc(newest).content_key() == doc.content_key()
    if same and doc.version in (None, newest["version"]):
        return {
            "policy_id": doc.id,
            "version": newest["version"],
            "status": "unchanged",
            "effective_from": newest["effective_from"],
        }
    return None


def next_version(doc: PolicyDoc, latest: int) -> int:
    """The version number `doc` gets: the next one, or its own if that is newer than `latest`."""
    if doc.version is None:
        return latest + 1
    if doc.version <= latest:
        raise VersionConflictError(
            f"{doc.id}: version {doc.version} already exists or is older (newest is {latest})"
        )
    return doc.version


def editor_name(editor: str) -> str:
    """Who made a change (required for the audit log), cleaned of control characters."""
    name = _CONTROL_RE.sub("", str(editor or "")).strip()[:80]
    if not name:
        raise KbError("an editor name is required for every change")
    return name
