"""The policy knowledge base: publish / retire / roll back versions and search what is in force."""

from __future__ import annotations

import re
import threading
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from knowledge import views
from knowledge.documents import PolicyDoc, from_fields, normalise_locale, parse_markdown
from knowledge.embeddings import get_embedder
from knowledge.entries import entry_ids, entry_metas, entry_texts, summary_id
from knowledge.errors import KbError, UnknownPolicyError
from knowledge.publishing import Prepared, plan_version, prepare_all, stale_entry_ids, store_plan
from knowledge.registry import Registry, row_doc
from knowledge.serving import ServedIndex, dense_pool
from knowledge.text import expand_query
from knowledge.vectors import VectorStore
from knowledge.versioning import editor_name

MAX_QUERY_CHARS = 500
Records = list[dict[str, Any]]  # aliases: the class has a method named `list`
Rows = list[Any]
Ids = list[str]
Docs = list[PolicyDoc]
Results = list[dict[str, Any] | KbError]
Plan = list[tuple[int, Prepared, int]]
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")


def normalise_query(query: object) -> str:
    """Query text as search sees it: full-width letters/digits folded (NFKC), control characters
    and repeated spaces collapsed, cut to MAX_QUERY_CHARS."""
    text = unicodedata.normalize("NFKC", str(query or ""))
    return " ".join(_CONTROL_RE.sub(" ", text).split())[:MAX_QUERY_CHARS]


class KnowledgeBase:
    """One shop's policies: SQLite (`kb_path`) is the truth, Chroma holds the chunk vectors."""

    def __init__(
        self,
        kb_path: Path,
        chroma_path: Path,
        chroma_url: str | None,
        embedding_model: str,
        max_doc_bytes: int = 256 * 1024,
    ) -> None:
        self.registry = Registry(kb_path)
        self.vectors = VectorStore(str(chroma_path), chroma_url, embedding_model)
        self.embedder = get_embedder(embedding_model)
        self.max_doc_bytes = max_doc_bytes
        self._lock = threading.RLock()
        self._index: ServedIndex | None = None
        self._own_generation = -1
        self._stale_vectors = False

    # ---------- reading ----------
    def search(self, query: str, k: int = 3, locale: str | None = None, *, at: date | None = None) -> Records:
        """Best policy chunks for `query` among the versions in force (one result per policy)."""
        text = normalise_query(query)
        k = max(1, min(int(k), 50))
        if not text:
            return []
        with self._lock:
            index = self._refresh(at or date.today())
            if not index.chunks:
                return []
            vector = self.embedder.encode([expand_query(text)], is_query=True)[0]
            dense = self._retrying(lambda: self.vectors.query(vector, dense_pool(k, len(index.chunks))), [])
            return index.fuse(text, vector, dense, k, normalise_locale(locale) if locale else None)

    def versions_of(self, ids: Ids) -> dict[str, int]:
        """Version in force today per id (0 when unknown, retired or not in force)."""
        with self._lock:
            index = self._refresh(date.today())
            return {pid: index.served.get(pid, 0) for pid in ids}

    def get(self, pid: str, version: int | None = None) -> dict[str, Any]:
        """One version (default: the one in force, else the newest) with body and Markdown."""
        with self._lock:
            rows = self._versions(pid)
            in_force = self.registry.candidates(date.today()).get(pid)
            if version is None:
                row = in_force or rows[-1]
            else:
                row = next((r for r in rows if r["version"] == version), None)
                if row is None:
                    raise UnknownPolicyError(f"policy {pid} has no version {version}")
            return views.full(row, views.status_of(row, in_force, self.registry.policy(pid), date.today()))

    def history(self, pid: str) -> Records:
        """All versions of a policy, oldest first, each with its status today."""
        with self._lock:
            rows = self._versions(pid)
            in_force = self.registry.candidates(date.today()).get(pid)
            policy = self.registry.policy(pid)
            return [views.summary(r, views.status_of(r, in_force, policy, date.today())) for r in rows]

    def list(self) -> Records:
        """Every policy (retired ones too) with its version in force and newest version."""
        with self._lock:
            today = date.today()
            in_force = self.registry.candidates(today)
            return [
                views.listing(
                    self.registry.versions(pid), in_force.get(pid), self.registry.policy(pid), today
                )
                for pid in self.registry.policy_ids()
            ]

    def stats(self) -> dict[str, int]:
        """Sizes of what is served now: policies and chunks."""
        with self._lock:
            index = self._refresh(date.today())
            return {"policies_served": len(index.served), "chunks_served": len(index.chunks)}

    def audit(self, pid: str | None = None) -> Records:
        """Audit entries (who, when, action, from version, to version), newest first."""
        if pid is not None:
            self._versions(pid)
        with self._lock:
            return self.registry.audit(pid)

    # ---------- writing ----------
    def publish(self, doc: str | dict[str, Any] | PolicyDoc, editor: str) -> dict[str, Any]:
        """Store a document as the next version of its id (new id: version 1).

        Returns {"policy_id", "version", "status": imported|updated|unchanged, "effective_from"}.
        """
        if isinstance(doc, str):
            doc = parse_markdown(doc, self.max_doc_bytes)
        elif isinstance(doc, dict):
            doc = from_fields(doc)
        (result,) = self.publish_many([doc], editor)
        if isinstance(result, KbError):
            raise result
        return result

    def publish_many(self, docs: Docs, editor: str) -> Results:
        """Store several documents in one transaction (all or none), one result or error per document.

        Ids must be distinct. A version conflict only fails its own document.
        """
        editor = editor_name(editor)
        prepared = prepare_all(docs, self.embedder)
        results: Results = [{} for _ in docs]
        with self._lock:
            with self.registry.write() as conn:
                self._note_foreign_writes()
                in_force = self.registry.candidates(date.today())
                plan: Plan = []
                for i, item in enumerate(prepared):
                    outcome = plan_version(self.registry, item)
                    if isinstance(outcome, int):
                        plan.append((i, item, outcome))
                    else:
                        results[i] = outcome
                store_plan(self.registry, self.vectors, conn, plan, editor, in_force, results)
            if plan:
                self._cleanup([item.doc.id for _, item, _ in plan])
        return results

    def retire(self, pid: str, editor: str) -> dict[str, Any]:
        """Stop serving a policy; its versions stay for history and rollback."""
        editor = editor_name(editor)
        with self._lock:
            self._versions(pid)
            policy = self.registry.policy(pid)
            if policy is not None and policy["retired_at"]:
                raise KbError(f"policy {pid} is already retired")
            with self.registry.write() as conn:
                self._note_foreign_writes()
                current = self.registry.candidates(date.today()).get(pid)
                conn.execute(
                    "UPDATE policies SET retired_at=datetime('now'), retired_by=? WHERE id=?", (editor, pid)
                )
                self.registry.log(conn, editor, pid, "retire", current["version"] if current else None, None)
            self._after_write(pid)
            return {"policy_id": pid, "status": "retired"}

    def rollback(self, pid: str, version: int, editor: str) -> dict[str, Any]:
        """Serve `version` again: newer versions are withdrawn (kept in history), retirement undone."""
        editor = editor_name(editor)
        with self._lock:
            rows = self._versions(pid)
            target = next((r for r in rows if r["version"] == int(version)), None)
            if target is None:
                raise UnknownPolicyError(f"policy {pid} has no version {version}")
            self._index_version(target)
            with self.registry.write() as conn:
                self._note_foreign_writes()
                current = self.registry.candidates(date.today()).get(pid)
                conn.execute(
                    "UPDATE versions SET withdrawn = (version > ?) WHERE policy_id=? AND version >= ?",
                    (int(version), pid, int(version)),
                )
                conn.execute("UPDATE policies SET retired_at=NULL, retired_by=NULL WHERE id=?", (pid,))
                self.registry.log(
                    conn, editor, pid, "rollback", current["version"] if current else None, int(version)
                )
            self._after_write(pid)
            return {"policy_id": pid, "version": int(version), "status": "rolled_back"}

    def sync_vectors(self) -> dict[str, int]:
        """Make Chroma hold exactly the chunks of versions in force or scheduled (SQLite is the truth).

        Repairs a store after an interrupted write, a lost Chroma folder or a fresh Chroma server.
        """
        with self._lock:
            today = date.today()
            rows = list(self.registry.candidates(today).values()) + self.registry.scheduled(today)
            present = self.vectors.ids()
            expected: set[str] = set()
            added = 0
            for row in rows:
                n_chunks = len(self.registry.chunks(row["policy_id"], row["version"]))
                ids = set(entry_ids(row["policy_id"], row["version"], n_chunks))
                expected |= ids
                if not ids <= present:
                    self._index_version(row)
                    added += 1
            extra = sorted(present - expected)
            self.vectors.delete_ids(extra)
            return {"reindexed_versions": added, "removed_chunks": len(extra)}

    # ---------- internals ----------
    def _versions(self, pid: str) -> Rows:
        rows = self.registry.versions(str(pid))
        if not rows:
            raise UnknownPolicyError(f"unknown policy id {str(pid)[:80]!r}")
        return rows

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

    def _after_write(self, pid: str) -> None:
        self._cleanup([pid])

    def _cleanup(self, pids: Ids) -> None:
        """Drop vectors of versions no longer in force or scheduled, then bump the generation again
        so other processes reopen the vector store after the cleanup too."""
        self._own_generation = self.registry.generation()
        self.vectors.delete_ids(stale_entry_ids(self.registry, pids, date.today()))
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
