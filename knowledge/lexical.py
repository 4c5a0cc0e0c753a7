"""An in-memory BM25 index over the chunks being served (rebuilt when the store moves)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

# Query-side weight of sub-word terms by their prefix (see knowledge.text.terms): a long latin word
# yields several 3-grams ("~ord", "~rde", ...), which must not outweigh one whole-word match.
SUBWORD_WEIGHT = {"~": 0.5}


class Bm25Index:
    """Okapi BM25 over pre-tokenised chunks; `scores` touches only the query terms' postings."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.6) -> None:
        self.size = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if self.size else 1.0
        norm = k1 * (1 - b + b * lengths / max(avg, 1e-6))
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                postings[term].append((i, tf))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        for term, plist in postings.items():
            ids = np.fromiter((p[0] for p in plist), dtype=np.int32, count=len(plist))
            tfs = np.fromiter((p[1] for p in plist), dtype=np.float32, count=len(plist))
            idf = math.log(1 + (self.size - len(plist) + 0.5) / (len(plist) + 0.5))
            self._postings[term] = (ids, tfs * (k1 + 1) / (tfs + norm[ids]), idf)

    def scores(self, query_terms: list[str]) -> dict[int, float]:
        """Chunk index -> BM25 score, for chunks sharing at least one term with the query."""
        if not self.size:
            return {}
        acc = np.zeros(self.size, dtype=np.float32)
        for term, qtf in Counter(query_terms).items():
            entry = self._postings.get(term)
            if entry is None:
                continue
            ids, weights, idf = entry
            scale = SUBWORD_WEIGHT.get(term[:1], 1.0) * idf * (1 + 0.3 * (qtf - 1))
            np.add.at(acc, ids, weights * scale)
        hit = np.nonzero(acc)[0]
        return {int(i): float(acc[i]) for i in hit}

    def top(self, query_terms: list[str], n: int) -> list[tuple[int, float]]:
        """The n best (chunk index, score) pairs, best first."""
        scored = self.scores(query_terms)
        return sorted(scored.items(), key=lambda kv: -kv[1])[:n]
