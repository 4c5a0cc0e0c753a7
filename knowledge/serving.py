"""What is served right now: the in-force versions, their chunks and the lexical index over them.

Rebuilt from SQLite whenever the store's generation counter or the date changes, so an edit made
by any process (CLI, API, editor) shows in the next search, and scheduled versions start on time.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

import numpy as np

from knowledge.lexical import Bm25Index
from knowledge.text import is_english, terms

DENSE_WEIGHT = 0.65
LEXICAL_WEIGHT = 0.35
LOCALE_BONUS = 0.04


def chunk_id(pid: str, version: int, idx: int) -> str:
    return f"{pid}@{version}#{idx}"


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
    """Served chunks plus BM25 over them; fuses dense hits with lexical scores per policy."""

    def __init__(self, served: dict[str, sqlite3.Row], chunk_rows: list[sqlite3.Row],
                 generation: int, day: date) -> None:
        self.generation, self.day = generation, day
        self.served = {pid: int(row["version"]) for pid, row in served.items()}
        self.chunks: list[Chunk] = []
        for r in chunk_rows:
            head = served[r["policy_id"]]
            self.chunks.append(Chunk(chunk_id(r["policy_id"], r["version"], r["idx"]), r["policy_id"],
                                     int(r["version"]), head["title"], r["text"], head["locale"],
                                     head["category"]))
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self.bm25 = Bm25Index([r["terms"].split() for r in chunk_rows])

    def fuse(self, query: str, dense: list[tuple[str, float]], k: int,
             locale: str | None) -> list[dict[str, object]]:
        """Combine dense similarities and BM25 into one score per policy, best first."""
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
            score = DENSE_WEIGHT * cos.get(pos, floor)
            if top_lex > 0:
                score += LEXICAL_WEIGHT * lexical.get(pos, 0.0) / top_lex
            if (chunk.locale == "en") == want_en:
                score += LOCALE_BONUS
            if chunk.policy_id not in best or score > best[chunk.policy_id][0]:
                best[chunk.policy_id] = (score, chunk)
        ranked = sorted(best.values(), key=lambda sc: -sc[0])[:k]
        return [{"policy_id": c.policy_id, "version": c.version, "title": c.title,
                 "score": round(float(s), 4), "text": c.text, "chunk_id": c.id,
                 "locale": c.locale, "category": c.category} for s, c in ranked]


def dense_pool(k: int, served_chunks: int) -> int:
    """How many nearest chunks to ask Chroma for (it also holds scheduled versions)."""
    return int(np.clip(max(40, 12 * k), 1, max(served_chunks * 2, 1)))
