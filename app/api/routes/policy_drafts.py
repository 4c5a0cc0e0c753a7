"""Drafts of the policy editor: save unpublished work, list it, resume it, drop it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import Field

from app.api.routes.policy_common import MAX_NUMBER, DraftDocIn, EditorDep, LangDep, VersionPath, kb_errors, kb_of

router = APIRouter(prefix="/api/policies/_drafts", tags=["policies"])


class DraftIn(DraftDocIn):
    """An editor's unpublished work, saved as written (it need not be valid yet)."""

    policy_id: str | None = Field(None, max_length=80, description="the policy it edits (None: a new policy)")
    base_version: int | None = Field(None, ge=0, le=MAX_NUMBER, description="the version the edit started from")
    replaces: int | None = Field(None, ge=1, le=MAX_NUMBER, description="the scheduled version it replaces")
    is_new: bool = Field(False, description="it creates a new policy")


def _draft(body: DraftIn) -> Any:
    from knowledge.drafts import DraftIn as Draft

    return Draft(markdown=body.markdown, policy_id=body.policy_id, base_version=body.base_version,
                 replaces=body.replaces, is_new=body.is_new, effective_from=body.effective_from)


@router.get("")
def list_drafts(request: Request, editor: EditorDep, policy_id: str | None = None) -> list[dict[str, Any]]:
    """Every saved draft (or those of one policy), newest first."""
    return kb_of(request).drafts.list(policy_id)


@router.post("")
def save_draft(body: DraftIn, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Save a new draft."""
    with kb_errors(lang):
        return kb_of(request).drafts.save(_draft(body), editor.login)


@router.get("/{draft_id}")
def get_draft(draft_id: VersionPath, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """One draft with its text, to resume it."""
    with kb_errors(lang):
        return kb_of(request).drafts.get(draft_id)


@router.put("/{draft_id}")
def update_draft(
    draft_id: VersionPath, body: DraftIn, request: Request, editor: EditorDep, lang: LangDep
) -> dict[str, Any]:
    """Save over a draft."""
    with kb_errors(lang):
        return kb_of(request).drafts.save(_draft(body), editor.login, draft_id)


@router.delete("/{draft_id}")
def delete_draft(draft_id: VersionPath, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Drop a draft."""
    with kb_errors(lang):
        return kb_of(request).drafts.delete(draft_id)
