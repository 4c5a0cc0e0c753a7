"""The knowledge base as it would be if a draft were published now, without publishing it.

`DraftView` serves the draft in place of the policy's version in force (or next to the others, for a
new policy) and searches exactly as the real index does, so a test question is answered as a
customer would be answered after publishing. Nothing is written anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from knowledge.documents import PolicyDoc
from knowledge.entries import chunk_id, summary_id
from knowledge.publishing import prepare_all
from knowledge.serving import ServedIndex, dense_pool
from knowledge.text import expand_query

if TYPE_CHECKING:
    from knowledge.kb import KnowledgeBase

MAX_QUERY_CHARS = 500
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")


def normalise_query(query: object) -> str:
    """Query text as search sees it: full-width letters/digits folded (NFKC), control characters
    and repeated spaces collapsed, cut to MAX_QUERY_CHARS."""
    text = unicodedata.normalize("NFKC", str(query or ""))
    return " ".join(_CONTROL_RE.sub(" ", text).split())[:MAX_QUERY_CHARS]


class DraftView:
    """A read-only `PolicyBase` (graph/ports.py) of the shop's policies with `doc` published."""

    def __init__(self, kb: KnowledgeBase, doc: PolicyDoc) -> None:
        self.kb, self.doc = kb, doc
        self.version = kb.registry.max_version(doc.id) + 1
        self._prepared = prepare_all([doc], kb.embedder)[0]
        self._index: ServedIndex | None = None

    def _draft_row(self) -> dict[str, Any]:
        doc = self.doc
        return {"policy_id": doc.id, "version": self.version, "title": doc.title, "category": doc.category,
                "locale": doc.locale, "body": doc.body, "withdrawn": 0, "created_at": "", "editor": "",
                "effective_from": doc.effective_from.isoformat() if doc.effective_from else None,
                "effective_to": doc.effective_to.isoformat() if doc.effective_to else None, "twin": doc.twin}

    def index(self) -> ServedIndex:
        """The served index with the draft in it (built once)."""
        if self._index is None:
            kb, day = self.kb, self.kb.today()
            with kb._lock:
                served: dict[str, Any] = dict(kb.registry.candidates(day))
                others = {(pid, int(row["version"])) for pid, row in served.items() if pid != self.doc.id}
                rows: list[Any] = kb.registry.chunks_of(others)
            served[self.doc.id] = self._draft_row()
            rows = rows + [{"policy_id": self.doc.id, "version": self.version, "idx": i, "text": text, "terms": words}
                           for i, (text, words) in enumerate(self._prepared.chunks)]
            wanted = [summary_id(pid, version, kind) for pid, version in others for kind in ("doc", "title")]
            summaries = dict(kb._retrying(lambda: kb.vectors.get_vectors(wanted), {}))
            n = len(self._prepared.chunks)
            for offset, kind in enumerate(("doc", "title")):
                summaries[summary_id(self.doc.id, self.version, kind)] = self._prepared.vectors[n + offset]
            self._index = ServedIndex(served, rows, summaries, -1, day)
        return self._index

    def search(self, query: str, k: int = 3, locale: str | None = None) -> list[dict[str, Any]]:
        """What search would answer with the draft published."""
        text = normalise_query(query)
        if not text:
            return []
        index, k = self.index(), max(1, min(int(k), 50))
        vector = self.kb.embedder.encode([expand_query(text)], is_query=True)[0]
        dense = list(self.kb._retrying(lambda: self.kb.vectors.query(vector, dense_pool(k, len(index.chunks))), []))
        dense += [(chunk_id(self.doc.id, self.version, i), float(self._prepared.vectors[i] @ vector))
                  for i in range(len(self._prepared.chunks))]
        return index.fuse(text, vector, dense, k, locale)

    def versions_of(self, ids: list[str]) -> dict[str, int]:
        """Versions served with the draft published."""
        served = self.index().served
        return {pid: served.get(pid, 0) for pid in ids}

    def get(self, pid: str, version: int | None = None) -> dict[str, Any]:
        """The draft for its own id and version, else the stored version."""
        if pid == self.doc.id and version in (None, self.version):
            return {**self._draft_row(), "status": "draft", "markdown": self.doc.to_markdown(with_version=False)}
        return self.kb.get(pid, version)

    def policy_set_version(self) -> str:
        """The draft set's own version (it is never cached against the real one)."""
        return "draft-" + self.index().fingerprint
