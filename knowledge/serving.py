"""What is served right now: the in-force versions, their chunks and the lexical index over them.

Rebuilt from SQLite whenever the store's generation counter or the date changes, so an edit made
by any process (CLI, API, editor) shows in the next search, and scheduled versions start on time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from knowledge.calibration import prefer_query_language, served_twins
from knowledge.entries import chunk_id, summary_id
from knowledge.language import is_english
from knowledge.lexical import Bm25Index
from knowledge.text import terms

# Weights of the fused score: the best chunk (dense + lexical), the policy's second-best chunk
# (dense), BM25 over the whole policy, how much of the title the query covers, and the dense
# similarity of the whole document and of the title. Chosen on evals/data/kb_dev.jsonl only.
WEIGHTS = {
    "chunk_dense": 0.65,
    "chunk_lexical": 0.1,
    "second_dense": 0.3,
    "policy_lexical": 0.1,
    "title_terms": 0.2,
    "doc_dense": 0.4,
    "title_dense": 0.2,
}
LOCALE_BONUS = 0.04
"""Added to chunks in the query's language; to every chunk when the served policies are in two languages
(knowledge.calibration: a shallow same-language match must not beat the policy that answers, and the
score scale callers rely on stays)."""
CHUNKS_PER_POLICY = 6
"""Chunks of each result policy returned with their match share (the composer's clause ranking uses them)."""
# Maps the weighted sum onto the score scale callers rely on: relevant hits about 0.4-0.75,
# unrelated questions below 0.3 (the composer's "I don't know" cut-off). Calibrated on the dev set
# and a list of off-topic questions (tests/knowledge/test_kb_ranking.py checks the property).
SCORE_SCALE = 1.1
_NORM = sum(WEIGHTS.values()) / SCORE_SCALE


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
        served: Mapping[str, Any],
        chunk_rows: list[Any],
        summaries: dict[str, np.ndarray],
        generation: int,
        day: date,
    ) -> None:
        self.generation, self.day = generation, day
        self.served = {pid: int(row["version"]) for pid, row in served.items()}
        self.fingerprint = policy_set_fingerprint(self.served)
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
        chunk_terms = [r["terms"].split() for r in chunk_rows]
        self.bm25 = Bm25Index(chunk_terms)
        self.policies = sorted(self.served)
        self.twins = served_twins(served)
        self.one_language = len({c.locale for c in self.chunks}) < 2
        self.policy_lexical = PolicyLexical(self.policies, self.chunks, chunk_terms, served)
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
        """Score each policy: best chunk (dense + BM25), second-best chunk, whole-policy BM25, title
        coverage, and document and title similarity; one result per policy, best first."""
        cos = {self.position[cid]: sim for cid, sim in dense if cid in self.position}
        query_terms = terms(query, expand=True)
        lexical = dict(self.bm25.top(query_terms, n=60))
        top_lex = max(lexical.values(), default=0.0)
        floor = min(cos.values(), default=0.0)
        want_en = is_english(query)
        best: dict[str, tuple[float, Chunk]] = {}
        by_policy: dict[str, list[tuple[float, Chunk]]] = {}
        dense_by_policy: dict[str, list[float]] = {}
        for pos in set(cos) | set(lexical):
            chunk = self.chunks[pos]
            if locale and chunk.locale != locale:
                continue
            score = WEIGHTS["chunk_dense"] * cos.get(pos, floor)
            dense_by_policy.setdefault(chunk.policy_id, []).append(cos.get(pos, floor))
            if top_lex > 0:
                score += WEIGHTS["chunk_lexical"] * lexical.get(pos, 0.0) / top_lex
            if not self.one_language or (chunk.locale == "en") == want_en:
                score += LOCALE_BONUS
            by_policy.setdefault(chunk.policy_id, []).append((score, chunk))
            if chunk.policy_id not in best or score > best[chunk.policy_id][0]:
                best[chunk.policy_id] = (score, chunk)
        topic = self._topic_scores(vector)
        policy = self.policy_lexical.scores(query_terms)
        fused = {
            pid: score
            + WEIGHTS["second_dense"] * _second(dense_by_policy[pid], floor)
            + topic.get(pid, 0.0)
            + policy.get(pid, 0.0)
            for pid, (score, _) in best.items()
        }
        wanted = {pid for pid, (_, c) in best.items() if (c.locale == "en") == want_en}
        prefer_query_language(fused, self.twins, wanted)
        ranked = sorted(((fused[pid] / _NORM, c) for pid, (_, c) in best.items()), key=lambda sc: -sc[0])[:k]
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
                "policy_set": self.fingerprint,
                "chunks": _ranked_chunks(by_policy[c.policy_id], floor * WEIGHTS["chunk_dense"]),
            }
            for s, c in ranked
        ]

    def _topic_scores(self, vector: np.ndarray) -> dict[str, float]:
        if not self.policies or self.summary["doc"].shape[1] != vector.shape[0]:
            return {}
        sims = WEIGHTS["doc_dense"] * (self.summary["doc"] @ vector) + WEIGHTS["title_dense"] * (
            self.summary["title"] @ vector
        )
        return dict(zip(self.policies, sims.tolist(), strict=False))


def policy_set_fingerprint(served: dict[str, int]) -> str:
    """The version of the served policy set: changes exactly when a policy starts, stops or changes version."""
    text = "\n".join(f"{pid}@{version}" for pid, version in sorted(served.items()))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    # letters only: a run of digits would read as an order or phone number to the answer cache's privacy check
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def _ranked_chunks(scored: list[tuple[float, Chunk]], floor: float) -> list[dict[str, object]]:
    """A policy's best-matching chunks (at most CHUNKS_PER_POLICY), each with its share of the policy's best
    chunk score above the floor: which of its clauses the query is about, for the composer."""
    scored = sorted(scored, key=lambda sc: -sc[0])[:CHUNKS_PER_POLICY]
    top = scored[0][0] - floor if scored else 0.0
    return [{"text": c.text, "share": round(max(0.0, s - floor) / top, 3) if top > 0 else 0.0} for s, c in scored]


def _second(values: list[float], floor: float) -> float:
    """Second-best dense similarity of a policy's chunks (the floor when only one was retrieved)."""
    return sorted(values, reverse=True)[1] if len(values) > 1 else floor


class PolicyLexical:
    """Policy-level lexical signals: BM25 over each whole policy and query coverage of its title."""

    def __init__(
        self, policies: list[str], chunks: list[Chunk], chunk_terms: list[list[str]], served: Mapping[str, Any]
    ) -> None:
        self.policies = policies
        grouped: dict[str, list[str]] = {pid: [] for pid in policies}
        for chunk, words in zip(chunks, chunk_terms, strict=False):
            grouped[chunk.policy_id].extend(words)
        self.bm25 = Bm25Index([grouped[pid] for pid in policies])
        self.titles = {pid: set(terms(served[pid]["title"])) for pid in policies}

    def scores(self, query_terms: list[str]) -> dict[str, float]:
        """Weighted policy BM25 (relative to the best policy) plus the share of title terms in the query."""
        raw = self.bm25.scores(query_terms)
        top = max(raw.values(), default=0.0)
        wanted = set(query_terms)
        out: dict[str, float] = {}
        for pos, value in raw.items():
            out[self.policies[pos]] = WEIGHTS["policy_lexical"] * value / top if top > 0 else 0.0
        for pid, title in self.titles.items():
            if title and wanted & title:
                share = len(wanted & title) / len(title)
                out[pid] = out.get(pid, 0.0) + WEIGHTS["title_terms"] * share
        return out


def dense_pool(k: int, served_chunks: int) -> int:
    """How many nearest entries to ask Chroma for (it also holds summaries and scheduled versions)."""
    return int(np.clip(max(60, 12 * k), 1, max(served_chunks * 3, 1)))
