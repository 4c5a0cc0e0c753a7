"""Drafts: an editor's unpublished work on a policy, kept in kb.db until it is published or dropped.

A draft is stored as written, valid or not (saving must never lose work), with what it needs to be
published later without overwriting anyone: the version it started from, the scheduled version it
replaces, whether it creates a new policy. Drafts never change what is served.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from knowledge.errors import KbError
from knowledge.registry import Registry, now_iso
from knowledge.versioning import editor_name

_FIELD_RE = {key: re.compile(rf"^{key}\s*[:：]\s*(.+?)\s*$", re.MULTILINE) for key in ("id", "title")}


@dataclass(frozen=True)
class DraftIn:
    """What the editor sends to save a draft."""

    markdown: str
    policy_id: str | None = None
    base_version: int | None = None
    replaces: int | None = None
    is_new: bool = False
    effective_from: str | None = None


def _peek(markdown: str, key: str) -> str | None:
    """A front-matter value read loosely (a draft may not parse yet)."""
    found = _FIELD_RE[key].search(markdown[:4000])
    return found.group(1).strip().strip("'\"")[:200] if found else None


class Drafts:
    """The drafts of one shop."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def save(self, draft: DraftIn, editor: str, draft_id: int | None = None) -> dict[str, Any]:
        """Create a draft, or update draft `draft_id`; returns it."""
        editor = editor_name(editor)
        stamp = now_iso()
        pid = draft.policy_id or _peek(draft.markdown, "id")
        values = (pid, draft.base_version, draft.replaces, int(draft.is_new), draft.markdown,
                  draft.effective_from or None, editor, stamp)
        with self.registry.write(bump=False) as conn:
            if draft_id is None:
                draft_id = conn.insert(
                    "INSERT INTO drafts(policy_id, base_version, replaces, is_new, markdown, effective_from, "
                    "editor, updated_at, created_at) VALUES (?,?,?,?,?,?,?,?,?)", (*values, stamp), "id")
            else:
                cur = conn.execute(
                    "UPDATE drafts SET policy_id=?, base_version=?, replaces=?, is_new=?, markdown=?, "
                    "effective_from=?, editor=?, updated_at=? WHERE id=?", (*values, int(draft_id)))
                if cur.rowcount == 0:
                    raise KbError(code="unknown_draft", field="draft", draft=draft_id)
        return self.get(draft_id)

    def get(self, draft_id: int) -> dict[str, Any]:
        """One draft with its Markdown."""
        row = self.registry.row("SELECT * FROM drafts WHERE id=?", (int(draft_id),))
        if row is None:
            raise KbError(code="unknown_draft", field="draft", draft=draft_id)
        return self._view(row, with_text=True)

    def list(self, pid: str | None = None) -> list[dict[str, Any]]:
        """Every draft (or those of one policy), newest first, without the text."""
        sql = "SELECT * FROM drafts" + (" WHERE policy_id=?" if pid else "") + " ORDER BY updated_at DESC, id DESC"
        rows = self.registry.rows(sql, (pid,) if pid else ())
        return [self._view(r, with_text=False) for r in rows]

    def delete(self, draft_id: int) -> dict[str, Any]:
        """Drop a draft (after publishing it, or when the editor discards it)."""
        with self.registry.write(bump=False) as conn:
            cur = conn.execute("DELETE FROM drafts WHERE id=?", (int(draft_id),))
            if cur.rowcount == 0:
                raise KbError(code="unknown_draft", field="draft", draft=draft_id)
        return {"draft_id": int(draft_id), "status": "deleted"}

    @staticmethod
    def _view(row: Any, with_text: bool) -> dict[str, Any]:
        out = {
            "draft_id": row["id"], "policy_id": row["policy_id"], "title": _peek(row["markdown"], "title"),
            "base_version": row["base_version"], "replaces": row["replaces"], "is_new": bool(row["is_new"]),
            "effective_from": row["effective_from"], "editor": row["editor"], "updated_at": row["updated_at"],
        }
        if with_text:
            out["markdown"] = row["markdown"]
        return out
