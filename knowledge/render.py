"""A small, safe Markdown-to-HTML preview for the policy editor (everything is escaped first)."""

from __future__ import annotations

import html
import re

from knowledge.documents import PolicyDoc, parse_markdown
from knowledge.errors import KbError
from knowledge.text import chunk_document

_ITEM_RE = re.compile(r"^\s*(?:[-*+•]|\d+[.、)])\s+(.*)$")
_HEAD_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")


def _inline(text: str) -> str:
    out = html.escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


def to_html(body: str) -> str:
    """Headings, bullet/numbered lists and paragraphs; any HTML in the text is shown as text."""
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        items: list[str] = []
        para: list[str] = []
        for line in lines:
            head, item = _HEAD_RE.match(line), _ITEM_RE.match(line)
            if (head or item) and para:
                parts.append(f"<p>{'<br>'.join(para)}</p>")
                para = []
            if head:
                level = min(len(head.group(1)) + 2, 6)
                parts.append(f"<h{level}>{_inline(head.group(2))}</h{level}>")
            elif item:
                items.append(f"<li>{_inline(item.group(1))}</li>")
            else:
                if items:
                    parts.append(f"<ul>{''.join(items)}</ul>")
                    items = []
                para.append(_inline(line.strip()))
        if items:
            parts.append(f"<ul>{''.join(items)}</ul>")
        if para:
            parts.append(f"<p>{'<br>'.join(para)}</p>")
    return "\n".join(parts)


def preview(markdown: str) -> dict[str, object]:
    """Validate a document and show what would be stored: fields, HTML, plain text and chunks."""
    try:
        doc: PolicyDoc = parse_markdown(markdown)
    except KbError as exc:
        return {"valid": False, "error": str(exc)}
    return {
        "valid": True,
        "error": None,
        "policy_id": doc.id,
        "title": doc.title,
        "category": doc.category,
        "locale": doc.locale,
        "version": doc.version,
        "effective_from": doc.effective_from.isoformat() if doc.effective_from else None,
        "effective_to": doc.effective_to.isoformat() if doc.effective_to else None,
        "html": f"<h2>{html.escape(doc.title)}</h2>\n{to_html(doc.body)}",
        "text": doc.body,
        "chunks": chunk_document(doc),
    }
