"""The policy editor: the `/editor` page and the `/api/policies` JSON API (editors only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from app.api.security import require_role
from app.auth import Account

router = APIRouter(tags=["policies"])
PAGE = Path(__file__).resolve().parents[2] / "web" / "editor.html"
EditorDep = Annotated[Account, Depends(require_role("editor"))]
MAX_MARKDOWN_CHARS = 256 * 1024


class MarkdownIn(BaseModel):
    """A policy document as the editor sends it."""

    markdown: str = Field(
        min_length=1,
        max_length=MAX_MARKDOWN_CHARS,
        description="the document: YAML front matter + Markdown body",
    )


class PublishIn(MarkdownIn):
    """A document to publish, optionally scheduled."""

    effective_from: date | None = Field(
        None, description="schedule: serve from this day (overrides the file)"
    )


class RollbackIn(BaseModel):
    """The version to serve again."""

    version: int = Field(ge=1)


def _kb(request: Request) -> Any:
    from knowledge import open_kb

    return open_kb(request.app.state.settings)


@contextmanager
def _errors() -> Iterator[None]:
    """Knowledge-base errors -> HTTP errors with the same one-line message."""
    from knowledge import KbError, PolicyFormatError, UnknownPolicyError, VersionConflictError

    try:
        yield
    except UnknownPolicyError as exc:
        raise HTTPException(404, str(exc)) from exc
    except VersionConflictError as exc:
        raise HTTPException(409, str(exc)) from exc
    except (PolicyFormatError, KbError) as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get("/editor", response_class=HTMLResponse, include_in_schema=False)
def editor_page() -> str:
    """The editor page (it logs in through /api/auth/login; the API refuses non-editors)."""
    return PAGE.read_text(encoding="utf-8")


@router.get("/api/policies")
def list_policies(request: Request, editor: EditorDep) -> list[dict[str, Any]]:
    """Every policy with its version in force and its newest version."""
    return _kb(request).list()


@router.get("/api/policies/_search")
def search(
    request: Request,
    editor: EditorDep,
    q: str = Query(max_length=2000),
    k: int = Query(5, ge=1, le=20),
    locale: str | None = None,
) -> list[dict[str, Any]]:
    """What the assistant would retrieve for a question right now."""
    return _kb(request).search(q, k=k, locale=locale)


@router.get("/api/policies/_audit")
def audit_all(request: Request, editor: EditorDep) -> list[dict[str, Any]]:
    """The whole audit log, newest first."""
    return _kb(request).audit()


@router.post("/api/policies/_preview")
def preview(body: MarkdownIn, editor: EditorDep) -> dict[str, Any]:
    """Validate a document and render it, without storing anything."""
    from knowledge.render import preview as render_preview

    return render_preview(body.markdown)


@router.post("/api/policies")
def publish(body: PublishIn, request: Request, editor: EditorDep) -> dict[str, Any]:
    """Store a document as the next version (scheduled when effective_from is in the future)."""
    from knowledge.documents import for_editor

    with _errors():
        return _kb(request).publish(for_editor(body.markdown, body.effective_from), editor.login)


@router.get("/api/policies/{policy_id}")
def get_policy(
    policy_id: str, request: Request, editor: EditorDep, version: int | None = None
) -> dict[str, Any]:
    """One version (default: the one in force) with its Markdown."""
    with _errors():
        return _kb(request).get(policy_id, version)


@router.get("/api/policies/{policy_id}/history")
def history(policy_id: str, request: Request, editor: EditorDep) -> list[dict[str, Any]]:
    """All versions of a policy with their status today."""
    with _errors():
        return _kb(request).history(policy_id)


@router.get("/api/policies/{policy_id}/audit")
def audit(policy_id: str, request: Request, editor: EditorDep) -> list[dict[str, Any]]:
    """Who changed the policy, when, and from which version to which."""
    with _errors():
        return _kb(request).audit(policy_id)


@router.post("/api/policies/{policy_id}/retire")
def retire(policy_id: str, request: Request, editor: EditorDep) -> dict[str, Any]:
    """Stop serving a policy (history kept)."""
    with _errors():
        return _kb(request).retire(policy_id, editor.login)


@router.delete("/api/policies/{policy_id}")
def delete(policy_id: str, request: Request, editor: EditorDep) -> dict[str, Any]:
    """Same as retire: the history is kept."""
    with _errors():
        return _kb(request).retire(policy_id, editor.login)


@router.post("/api/policies/{policy_id}/rollback")
def rollback(policy_id: str, body: RollbackIn, request: Request, editor: EditorDep) -> dict[str, Any]:
    """Serve an earlier version again; newer ones are withdrawn."""
    with _errors():
        return _kb(request).rollback(policy_id, body.version, editor.login)
