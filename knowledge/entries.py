"""What one policy version puts in the vector store: its chunks plus a whole-document and a title entry.

The document and title vectors give each policy a topic-level similarity next to its best chunk.
"""

from __future__ import annotations

from typing import Any

from knowledge.documents import PolicyDoc

DOC_TEXT_CHARS = 800
SUMMARY_KINDS = ("doc", "title")


def chunk_id(pid: str, version: int, idx: int) -> str:
    """Vector-store id of one chunk of one version."""
    return f"{pid}@{version}#{idx}"


def summary_id(pid: str, version: int, kind: str) -> str:
    """Vector-store id of a version's document or title entry."""
    return f"{pid}@{version}#{kind}"


def entry_texts(doc: PolicyDoc, chunks: list[str]) -> list[str]:
    """Texts to embed, in entry order: the chunks, then the document, then the title."""
    return chunks + [f"{doc.title}\n{doc.body}"[:DOC_TEXT_CHARS], doc.title]


def entry_ids(pid: str, version: int, n_chunks: int) -> list[str]:
    """Ids of all entries of a version, in entry order."""
    return [chunk_id(pid, version, i) for i in range(n_chunks)] + [
        summary_id(pid, version, kind) for kind in SUMMARY_KINDS
    ]


def entry_metas(doc: PolicyDoc, version: int, n_chunks: int) -> list[dict[str, Any]]:
    """Chroma metadata of all entries of a version, in entry order."""
    base = {
        "policy_id": doc.id,
        "version": version,
        "locale": doc.locale,
        "category": doc.category,
        "title": doc.title,
        "effective_from": int(doc.effective_from.strftime("%Y%m%d")) if doc.effective_from else 0,
        "effective_to": int(doc.effective_to.strftime("%Y%m%d")) if doc.effective_to else 99991231,
    }
    return [{**base, "kind": "chunk"}] * n_chunks + [{**base, "kind": kind} for kind in SUMMARY_KINDS]
