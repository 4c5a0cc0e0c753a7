"""What the policy editor's routes share: the editor login, the editor's language, the knowledge base,
the request bodies, and one mapping of knowledge-base errors to HTTP errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Path, Request
from pydantic import BaseModel, Field

from app.api.security import require_role
from app.auth import Account

EditorDep = Annotated[Account, Depends(require_role("editor"))]
MAX_MARKDOWN_CHARS = 256 * 1024
MAX_NUMBER = 2**31 - 1  # version and draft numbers: larger ones cannot exist (and would overflow SQLite)
VersionPath = Annotated[int, Path(ge=1, le=MAX_NUMBER)]


def editor_language(accept_language: Annotated[str | None, Header()] = None) -> str:
    """The editor page's language, from its Accept-Language header: 'en' or 'zh'."""
    from knowledge.messages import language_of

    return language_of(accept_language)


LangDep = Annotated[str, Depends(editor_language)]


class MarkdownIn(BaseModel):
    """A policy document as the editor sends it."""

    markdown: str = Field(min_length=1, max_length=MAX_MARKDOWN_CHARS,
                          description="the document: YAML front matter + Markdown body")


class DraftDocIn(MarkdownIn):
    """A document that is not stored yet, with the day it would take effect."""

    effective_from: str | None = Field(None, max_length=40,
                                       description="serve from this day (YYYY-MM-DD; overrides the document)")


def kb_of(request: Request) -> Any:
    from knowledge import open_kb

    return open_kb(request.app.state.settings)


def http_error(exc: Exception, language: str) -> HTTPException:
    """A knowledge-base error as 404 / 409 / 400, with its message in `language` and its field."""
    from knowledge import EditConflictError, KbError, UnknownPolicyError, VersionConflictError

    status = 404 if isinstance(exc, UnknownPolicyError) else \
        409 if isinstance(exc, (EditConflictError, VersionConflictError)) else 400
    if isinstance(exc, KbError):
        return HTTPException(status, {"message": exc.message(language), "field": exc.field, "code": exc.code})
    return HTTPException(status, {"message": str(exc), "field": None, "code": None})


@contextmanager
def kb_errors(language: str) -> Iterator[None]:
    """Knowledge-base errors raised inside become HTTP errors (see `http_error`)."""
    from knowledge import KbError

    try:
        yield
    except KbError as exc:
        raise http_error(exc, language) from exc
