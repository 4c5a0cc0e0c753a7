"""What is served right now: the in-force versions, their chunks and the lexical index over them.

Rebuilt from SQLite whenever the store's generation counter or the date changes, so an edit made
by any process (CLI, API, editor) shows in the next search, and scheduled versions start on time.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

import numpy as np

from knowledge.entries import chunk_id, summary_id
from knowledge.lexical import Bm25Index
from knowledge.text import is_english, terms

# Weights of the fused score: best chunk (dense + lexical) plus policy-level similarities of the
# whole document and of the title. Chosen on evals/data/kb_dev.jsonl, never on the benchmark set.
WEIGHTS = {"chunk_dense": 0.65, "chunk_lexical": 0.2, "doc_dense": 0.4, "title_dense": 0.2}
LOCALE_BONUS = 0.04
_NORM = sum(WEIGHTS.values())


@dataclass
class Chunk:
    """One served chunk with the facts a search result needs."""

    id: str
    policy_id: str
    version: int
    title: str
    text: str
    locale: str
    category: str


class ServedIndex:
    """Served chunks, BM25 over them and per-policy summary vectors; fuses them per policy."""

    def __init__(
        self,
        served: dict[str, sqlite3.Row],
        chunk_rows: list[sqlite3.Row],
        summaries: dict[str, np.ndarray],
        generation: int,
        day: date,
    ) -> None:
        self.generation, self.day = generation, day
        self.served = {pid: int(row["version"]) for pid, row in served.items()}
        self.chunks: list[Chunk] = []
        for r in chunk_rows:
            head = served[r["policy_id"]]
            self.chunks.append(
                Chunk(
                    chunk_id(r["policy_id"], r["version"], r["idx"]),
                    r["policy_id"],
                    int(r["version"]),
                    head["title"],
                    r["text"],
                    head["locale"],
                    head["category"],
                )
            )
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self.bm25 = Bm25Index([r["terms"].split() for r in chunk_rows])
        self.policies = sorted(self.served)
        self.summary = {kind: self._matrix(summaries, kind) for kind in ("doc", "title")}

    def _matrix(self, summaries: dict[str, np.ndarray], kind: str) -> np.ndarray:
        dim = next((len(v) for v in summaries.values()), 1)
        rows = [summaries.get(summary_id(p, self.served[p], kind)) for p in self.policies]
        return (
            np.stack([r if r is not None else np.zeros(dim, np.float32) for r in rows])
            if rows
            else np.zeros((0, dim), np.float32)
        )

    def fuse(
        self, query: str, vector: np.ndarray, dense: list[tuple[str, float]], k: int, locale: str | None
    ) -> list[dict[str, object]]:
        """Score each policy: its best chunk (dense + BM25) plus document and title similarity."""
        cos = {self.position[cid]: sim for cid, sim in dense if cid in self.position}
        lexical = dict(self.bm25.top(terms(query, expand=True), n=60))
        top_lex = max(lexical.values(), default=0.0)
        floor = min(cos.values(), default=0.0)
        want_en = is_english(query)
        best: dict[str, tuple[float, Chunk]] = {}
        for pos in set(cos) | set(lexical):
            chunk = self.chunks[pos]
            if locale and chunk.locale != locale:
                continue
            score = WEIGHTS["chunk_dense"] * cos.get(pos, floor)
            if top_lex > 0:
                score += WEIGHTS["chunk_lexical"] * lexical.get(pos, 0.0) / top_lex
            if (chunk.locale == "en") == want_en:
                score += LOCALE_BONUS
            if chunk.policy_id not in best or score > best[chunk.policy_id][0]:
                best[chunk.policy_id] = (score, chunk)
        topic = self._topic_scores(vector)
        ranked = sorted(((s + topic.get(pid, 0.0)) / _NORM, c) for pid, (s, c) in best.items())
        ranked = sorted(ranked, key=lambda sc: -sc[0])[:k]
        return [
            {
                "policy_id": c.policy_id,
                "version": c.version,
                "title": c.title,
                "score": round(float(s), 4),
                "text": c.text,
                "chunk_id": c.id,
                "locale": c.locale,
                "category": c.category,
            }
            for s, c in ranked
        ]

    def _topic_scores(self, vector: np.ndarray) -> dict[str, float]:
        if not self.policies or self.summary["doc"].shape[1] != vector.shape[0]:
            return {}
        sims = WEIGHTS["doc_dense"] * (self.summary["doc"] @ vector) + WEIGHTS["title_dense"] * (
            self.summary["title"] @ vector
        )
        return dict(zip(self.policies, sims.tolist()))


def dense_pool(k: int, served_chunks: int) -> int:
    """How many nearest entries to ask Chroma for (it also holds summaries and scheduled versions)."""
    return int(np.clip(max(60, 12 * k), 1, max(served_chunks * 3, 1)))
