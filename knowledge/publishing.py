"""Preparing documents for storage in bulk: chunks, lexical terms and one embedding call for all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from knowledge.documents import PolicyDoc
from knowledge.embeddings import Embedder
from knowledge.entries import entry_ids, entry_metas, entry_texts
from knowledge.errors import KbError
from knowledge.registry import Registry
from knowledge.text import chunk_document, terms
from knowledge.twins import after_change
from knowledge.vectors import VectorStore
from knowledge.versioning import Expect, check_expectation, next_version, unchanged_result

Plan = list[tuple[int, "Prepared", int]]


@dataclass
class Prepared:
    """A document ready to store: its chunks with their terms, and the vectors of its entries."""

    doc: PolicyDoc
    chunks: list[tuple[str, str]]
    texts: list[str]
    vectors: np.ndarray

    def entries(self, version: int) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """(ids, texts, metadatas) of this document stored as `version`."""
        n = len(self.chunks)
        return entry_ids(self.doc.id, version, n), self.texts, entry_metas(self.doc, version, n)


def prepare_all(docs: list[PolicyDoc], embedder: Embedder) -> list[Prepared]:
    """Chunk and embed many documents (one encode call: batching is much faster)."""
    staged: list[tuple[PolicyDoc, list[tuple[str, str]], list[str]]] = []
    for doc in docs:
        pieces = chunk_document(doc)
        staged.append((doc, [(c, " ".join(terms(c))) for c in pieces], entry_texts(doc, pieces)))
    all_texts = [t for _, _, texts in staged for t in texts]
    vectors = embedder.encode(all_texts) if all_texts else np.zeros((0, 1), np.float32)
    out: list[Prepared] = []
    start = 0
    for doc, chunks, texts in staged:
        out.append(Prepared(doc, chunks, texts, vectors[start : start + len(texts)]))
        start += len(texts)
    return out


def stale_entry_ids(registry: Registry, pids: list[str], today: date) -> list[str]:
    """Vector-store ids of versions of `pids` that are neither in force nor scheduled."""
    keep = {(r["policy_id"], int(r["version"])) for r in registry.scheduled(today)}
    keep |= {(pid, int(r["version"])) for pid, r in registry.candidates(today).items()}
    counts = registry.chunk_counts(pids)
    return [
        entry_id
        for (pid, version), n in counts.items()
        if (pid, version) not in keep
        for entry_id in entry_ids(pid, version, n)
    ]


def cancel_overtaken(conn: Any, registry: Registry, doc: PolicyDoc, version: int, editor: str, today: date,
                     replaces: int | None) -> None:
    """Withdraw the scheduled versions the new one makes pointless: the one it replaces, and any older one
    that would start on or after it (a newer version in force keeps an older one from ever starting)."""
    start = (doc.effective_from or today).isoformat()
    for row in registry.versions(doc.id):
        pending = not row["withdrawn"] and row["effective_from"] and row["effective_from"] > today.isoformat()
        overtaken = row["version"] < version and row["effective_from"] and row["effective_from"] >= start
        if row["version"] == replaces or (pending and overtaken):
            conn.execute("UPDATE versions SET withdrawn=1 WHERE policy_id=? AND version=?", (doc.id, row["version"]))
            detail = "replaced" if row["version"] == replaces else "overtaken"
            registry.log(conn, editor, doc.id, "cancel", row["version"], version, detail)


def plan_version(
    registry: Registry, item: Prepared, expect: Expect | None, today: date
) -> int | dict[str, Any] | KbError:
    """The version `item` will get, or its result when there is nothing to store (or an error)."""
    try:
        if expect is not None:
            check_expectation(registry, item.doc, expect, today)
        unchanged = unchanged_result(registry, item.doc, today) if expect is None or not expect.replaces else None
        if unchanged is not None:
            return unchanged
        return next_version(item.doc, registry.max_version(item.doc.id))
    except KbError as exc:
        return exc


def store_plan(
    registry: Registry,
    vectors: VectorStore,
    conn: Any,
    plan: Plan,
    editor: str,
    in_force: dict[str, Any],
    results: list[dict[str, Any] | KbError],
    today: date,
    expects: list[Expect | None],
) -> None:
    """Write planned versions inside the caller's transaction: one vector upsert, then the rows."""
    if not plan:
        return
    ids: list[str] = []
    texts: list[str] = []
    metas: list[dict[str, Any]] = []
    for _, item, version in plan:
        more_ids, more_texts, more_metas = item.entries(version)
        ids, texts, metas = ids + more_ids, texts + more_texts, metas + more_metas
    vectors.upsert(ids, np.concatenate([item.vectors for _, item, _ in plan]), texts, metas)
    for i, item, version in plan:
        doc, previous = item.doc, in_force.get(item.doc.id)
        existed = registry.exists(doc.id)
        replaces = expects[i].replaces if expects[i] is not None else None  # type: ignore[union-attr]
        registry.insert_version(conn, doc, version, editor, item.chunks)
        action = "schedule" if doc.effective_from and doc.effective_from > today else "publish"
        registry.log(conn, editor, doc.id, action, previous["version"] if previous else None, version)
        cancel_overtaken(conn, registry, doc, version, editor, today, replaces)
        if existed:
            after_change(conn, registry, doc.id, version)
        results[i] = {
            "policy_id": doc.id,
            "version": version,
            "status": "updated" if existed else "imported",
            "effective_from": doc.effective_from.isoformat() if doc.effective_from else None,
        }
