"""The editor's preview: validate a document and render its body as safe HTML (markdown-it, raw HTML off)."""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from knowledge.documents import MAX_DOC_BYTES, PolicyDoc, parse_markdown
from knowledge.errors import KbError
from knowledge.text import chunk_document


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # CommonMark with tables; any HTML in the text is shown as text, unsafe link schemes are not linked
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def to_html(body: str) -> str:
    """The body as HTML; headings start at <h3> (the title is the page's <h2>)."""
    md = _markdown()
    tokens = md.parse(body)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"
    return str(md.renderer.render(tokens, md.options, {}))


def preview(markdown: str, language: str = "zh", max_bytes: int = MAX_DOC_BYTES) -> dict[str, Any]:
    """Validate a document and show what would be stored: fields, HTML, plain text and chunks; or the
    error in `language` with the field it is about."""
    try:
        doc: PolicyDoc = parse_markdown(markdown, max_bytes)
    except KbError as exc:
        return {"valid": False, "error": exc.message(language), "field": exc.field, "code": exc.code}
    return {
        "valid": True,
        "error": None,
        "field": None,
        "policy_id": doc.id,
        "title": doc.title,
        "category": doc.category,
        "locale": doc.locale,
        "version": doc.version,
        "effective_from": doc.effective_from.isoformat() if doc.effective_from else None,
        "effective_to": doc.effective_to.isoformat() if doc.effective_to else None,
        "twin": doc.twin,
        "html": f"<h2>{html.escape(doc.title)}</h2>\n{to_html(doc.body)}",
        "text": doc.body,
        "chunks": chunk_document(doc),
    }
