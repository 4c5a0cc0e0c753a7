"""The policy editor: the `/editor` page and the `/api/policies` JSON API (editors only).

Errors are a 4xx whose `detail` is {"message", "field", "code"}: the message in the editor's language
(its Accept-Language header; Chinese by default) and the document field it is about.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from app.api.routes.policy_common import (
    MAX_NUMBER,
    DraftDocIn,
    EditorDep,
    LangDep,
    MarkdownIn,
    VersionPath,
    http_error,
    kb_errors,
    kb_of,
)
from app.api.routes.policy_drafts import router as drafts_router

router = APIRouter(tags=["policies"])
router.include_router(drafts_router)  # first: /api/policies/_drafts must not be read as a policy id
PAGE = Path(__file__).resolve().parents[2] / "web" / "editor.html"


class GuardIn(DraftDocIn):
    """A document with what the editor saw when they started (checked before anything is overwritten)."""

    create: bool = Field(False, description="a new policy: refused (409) when the id already exists")
    base_version: int | None = Field(None, ge=0, le=MAX_NUMBER, description="the newest version the edit "
                                     "started from: refused (409) when the policy has changed since")
    policy_id: str | None = Field(None, max_length=80, description="the policy being edited (the id must stay)")
    replaces: int | None = Field(None, ge=1, le=MAX_NUMBER,
                                 description="a scheduled version this one replaces (it is cancelled)")


class PublishIn(GuardIn):
    """A document to publish."""

    draft_id: int | None = Field(None, ge=1, le=MAX_NUMBER,
                                 description="the draft this was written in (deleted once published)")


class AskIn(DraftDocIn):
    """A test question against a draft."""

    question: str = Field(max_length=2000, description="what a customer might ask")


class RollbackIn(BaseModel):
    """The version to serve again."""

    version: int = Field(ge=1, le=MAX_NUMBER)


def _draft_doc(request: Request, body: DraftDocIn) -> Any:
    from knowledge.documents import for_editor

    kb = kb_of(request)
    return for_editor(body.markdown, body.effective_from, kb.today(), kb.max_doc_bytes)


def _expect(body: GuardIn) -> Any:
    from knowledge import Expect

    return Expect(create=body.create, base_version=body.base_version, policy_id=body.policy_id,
                  replaces=body.replaces)


@router.get("/editor", response_class=HTMLResponse, include_in_schema=False)
def editor_page() -> str:
    """The editor page (it logs in through /api/auth/login; the API refuses non-editors)."""
    return PAGE.read_text(encoding="utf-8")


@router.get("/api/policies")
def list_policies(request: Request, editor: EditorDep, q: str | None = Query(None, max_length=200),
                  status: Literal["active", "scheduled", "retired", "expired"] | None = None) -> list[dict[str, Any]]:
    """Every policy with its version in force and its newest version; `q` searches ids, titles and texts."""
    return kb_of(request).list(q, status)


@router.get("/api/policies/_config")
def editor_config(request: Request, editor: EditorDep) -> dict[str, Any]:
    """The shop's time zone and date (the editor shows times in it; new versions start on that date)."""
    settings = request.app.state.settings
    return {"timezone": settings.shop_timezone, "today": kb_of(request).today().isoformat(), "login": editor.login}


@router.get("/api/policies/_search")
def search(request: Request, editor: EditorDep, q: str = Query(max_length=2000), k: int = Query(5, ge=1, le=20),
           locale: str | None = None) -> list[dict[str, Any]]:
    """What the assistant would retrieve for a question right now."""
    return kb_of(request).search(q, k=k, locale=locale)


@router.get("/api/policies/_audit")
def audit_all(request: Request, editor: EditorDep) -> list[dict[str, Any]]:
    """The whole audit log, newest first."""
    return kb_of(request).audit()


@router.post("/api/policies/_preview")
def preview(body: MarkdownIn, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Validate a document and render it, without storing anything."""
    from knowledge.render import preview as render_preview

    return render_preview(body.markdown, lang, kb_of(request).max_doc_bytes)


@router.post("/api/policies/_diff")
def diff_draft(body: GuardIn, request: Request, editor: EditorDep, lang: LangDep,
               context: int = Query(3, ge=0, le=10_000)) -> dict[str, Any]:
    """A document against what is served now (what publishing it would change); the same 409s as
    publishing it would give come now, before the editor confirms."""
    with kb_errors(lang):
        return kb_of(request).diff_draft(_draft_doc(request, body), context, _expect(body))


@router.post("/api/policies/_ask")
def ask(body: AskIn, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """The bot's answer to `question` if the draft were published (nothing is published), and `today`:
    the answer customers get now."""
    from app.policy_trial import PolicyTrial
    from knowledge import KbError

    if not body.question.strip():
        raise http_error(KbError(code="empty_question", field="question"), lang)
    with kb_errors(lang):
        draft = kb_of(request).with_draft(_draft_doc(request, body))
    state = request.app.state
    if getattr(state, "policy_trial", None) is None:
        state.policy_trial = PolicyTrial(state.settings)
    return {**state.policy_trial.ask(body.question, draft), "today": state.policy_trial.ask(body.question)}


@router.post("/api/policies")
def publish(body: PublishIn, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Store a document as the next version (scheduled when effective_from is in the future); refused
    with 409 when `create` meets an existing id or `base_version` is no longer the newest version."""
    kb = kb_of(request)
    with kb_errors(lang):
        result = kb.publish(_draft_doc(request, body), editor.login, _expect(body))
    if body.draft_id is not None:
        with kb_errors(lang):
            kb.drafts.delete(body.draft_id)
    return dict(result)


@router.get("/api/policies/{policy_id}")
def get_policy(policy_id: str, request: Request, editor: EditorDep, lang: LangDep,
               version: int | None = Query(None, ge=1, le=MAX_NUMBER)) -> dict[str, Any]:
    """One version (default: the one in force) with its Markdown."""
    with kb_errors(lang):
        return kb_of(request).get(policy_id, version)


@router.get("/api/policies/{policy_id}/history")
def history(policy_id: str, request: Request, editor: EditorDep, lang: LangDep) -> list[dict[str, Any]]:
    """All versions of a policy with their status today."""
    with kb_errors(lang):
        return kb_of(request).history(policy_id)


@router.get("/api/policies/{policy_id}/audit")
def audit(policy_id: str, request: Request, editor: EditorDep, lang: LangDep) -> list[dict[str, Any]]:
    """Who changed the policy, when, and from which version to which."""
    with kb_errors(lang):
        return kb_of(request).audit(policy_id)


@router.get("/api/policies/{policy_id}/diff")
def diff(policy_id: str, request: Request, editor: EditorDep, lang: LangDep,
         old: int = Query(alias="from", ge=1, le=MAX_NUMBER), new: int = Query(alias="to", ge=1, le=MAX_NUMBER),
         context: int = Query(3, ge=0, le=10_000)) -> dict[str, Any]:
    """Unified-diff lines between the Markdown of two versions."""
    with kb_errors(lang):
        return kb_of(request).diff(policy_id, old, new, context)


@router.post("/api/policies/{policy_id}/retire")
def retire(policy_id: str, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Stop serving a policy (history kept)."""
    with kb_errors(lang):
        return kb_of(request).retire(policy_id, editor.login)


@router.delete("/api/policies/{policy_id}")
def delete(policy_id: str, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Same as retire: the history is kept."""
    with kb_errors(lang):
        return kb_of(request).retire(policy_id, editor.login)


@router.post("/api/policies/{policy_id}/restore")
def restore(policy_id: str, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Serve a retired policy again, as it was."""
    with kb_errors(lang):
        return kb_of(request).restore(policy_id, editor.login)


@router.post("/api/policies/{policy_id}/rollback")
def rollback(policy_id: str, body: RollbackIn, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Serve an earlier version again; newer ones are withdrawn."""
    with kb_errors(lang):
        return kb_of(request).rollback(policy_id, body.version, editor.login)


@router.post("/api/policies/{policy_id}/versions/{version}/cancel")
def cancel(policy_id: str, version: VersionPath, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """Cancel a scheduled version before it starts."""
    with kb_errors(lang):
        return kb_of(request).cancel_scheduled(policy_id, version, editor.login)


@router.post("/api/policies/{policy_id}/in_step")
def in_step(policy_id: str, request: Request, editor: EditorDep, lang: LangDep) -> dict[str, Any]:
    """The policy still says what its other-language twin says: clear its out-of-date flag."""
    with kb_errors(lang):
        return kb_of(request).mark_in_step(policy_id, editor.login)

