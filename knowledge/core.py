"""The knowledge base's shared machinery: storage handles, the shop's date, and the served index.

`KbCore` holds SQLite (the truth) and Chroma (the vectors) and keeps the index of what is served
today, rebuilt whenever another write (any process) or the date changes it.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from knowledge.embeddings import get_embedder
from knowledge.entries import entry_ids, entry_metas, entry_texts, summary_id
from knowledge.errors import UnknownPolicyError
from knowledge.publishing import stale_entry_ids
from knowledge.registry import Registry, row_doc
from knowledge.serving import ServedIndex
from knowledge.vectors import VectorStore
from storage import Database

Rows = list[Any]


class KbCore:
    """One shop's policies: the registry (SQLite or Postgres) is the truth, Chroma holds the chunk vectors."""

    def __init__(
        self,
        kb_path: Database | Path,
        chroma_path: Path,
        chroma_url: str | None,
        embedding_model: str,
        max_doc_bytes: int = 256 * 1024,
        timezone: str | None = None,
    ) -> None:
        self.registry = Registry(kb_path)
        self.vectors = VectorStore(str(chroma_path), chroma_url, embedding_model)
        self.embedder = get_embedder(embedding_model)
        self.max_doc_bytes = max_doc_bytes
        self.timezone = ZoneInfo(timezone) if timezone else None
        self._lock = threading.RLock()
        self._index: ServedIndex | None = None
        self._own_generation = -1
        self._stale_vectors = False

    def today(self) -> date:
        """The shop's date (its time zone, else the machine's): effective dates start and end on it."""
        return datetime.now(self.timezone).date() if self.timezone else date.today()

    def _versions(self, pid: str) -> Rows:
        rows = self.registry.versions(str(pid))
        if not rows:
            raise UnknownPolicyError(code="unknown_policy", field="id", pid=str(pid)[:80])
        return rows

    def _row(self, pid: str, version: int) -> Any:
        row = next((r for r in self._versions(pid) if r["version"] == int(version)), None)
        if row is None:
            raise UnknownPolicyError(code="unknown_version", field="version", pid=pid, version=int(version))
        return row

    def _index_version(self, row: Any) -> None:
        doc = row_doc(row)
        chunks = [c["text"] for c in self.registry.chunks(doc.id, row["version"])]
        texts = entry_texts(doc, chunks)
        self.vectors.upsert(
            entry_ids(doc.id, row["version"], len(chunks)),
            self.embedder.encode(texts),
            texts,
            entry_metas(doc, row["version"], len(chunks)),
        )

    def _note_foreign_writes(self) -> None:
        """Inside a write: has another process written since we last looked? Then reopen Chroma later."""
        known = max(self._own_generation, self._index.generation if self._index else -1)
        if known >= 0 and self.registry.generation() != known:
            self._stale_vectors = True

    def _cleanup(self, pids: list[str]) -> None:
        """Drop vectors of versions no longer in force or scheduled, then bump the generation again
        so other processes reopen the vector store after the cleanup too."""
        self._own_generation = self.registry.generation()
        self.vectors.delete_ids(stale_entry_ids(self.registry, pids, self.today()))
        with self.registry.write():
            self._note_foreign_writes()
        self._own_generation = self.registry.generation()

    def _retrying(self, call: Any, fallback: Any) -> Any:
        """Run a vector-store read; on failure reopen once, then fall back (lexical-only search)."""
        for _ in range(2):
            try:
                return call()
            except Exception:  # noqa: BLE001 - embedded Chroma raced with another process or lost its files
                self.vectors.reopen()
        return fallback

    def _refresh(self, day: date) -> ServedIndex:
        generation = self.registry.generation()
        index = self._index
        if index is not None and index.generation == generation and index.day == day:
            return index
        if (
            index is not None
            and index.generation != generation
            and (self._stale_vectors or generation != self._own_generation)
        ):
            self.vectors.reopen()
        self._stale_vectors = False
        served = self.registry.candidates(day)
        keys = {(pid, int(row["version"])) for pid, row in served.items()}
        wanted = [summary_id(pid, version, kind) for pid, version in keys for kind in ("doc", "title")]
        summaries = self._retrying(lambda: self.vectors.get_vectors(wanted), {})
        self._index = ServedIndex(served, self.registry.chunks_of(keys), summaries, generation, day)
        return self._index
