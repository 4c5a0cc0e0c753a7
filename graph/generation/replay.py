"""Replay question traffic through the answer cache and report hit rate and privacy leaks.

Used by evals/bench_generation.py and by the evals helper's `cache` suite.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from graph.generation.cache import AnswerCache, VersionsFn, _carries_private
from graph.generation.text import order_identifiers


def zipf_traffic(topics: list[dict[str, Any]], n: int, *, s: float = 1.1, seed: int = 7,
                 order_share: float = 0.1, order_questions: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """`n` queries: topics drawn by Zipf rank (topic i has weight 1/(i+1)^s), a random paraphrase of
    each; `order_share` of the queries are order-specific ones (never cacheable).
    A topic is {"intent", "questions": [...]}; an order question is {"intent", "question"}."""
    rng = random.Random(seed)
    weights = [1.0 / (i + 1) ** s for i in range(len(topics))]
    out: list[dict[str, Any]] = []
    for _ in range(n):
        if order_questions and rng.random() < order_share:
            out.append({**rng.choice(order_questions), "order_specific": True})
            continue
        topic = rng.choices(topics, weights=weights)[0]
        out.append({"intent": topic["intent"], "question": rng.choice(topic["questions"]), "topic": topic.get("id")})
    return out


def replay_cache(queries: Iterable[dict[str, Any]], *, answer: Callable[[dict[str, Any]], dict[str, Any]],
                 current_versions: VersionsFn, cache: AnswerCache | None = None) -> dict[str, Any]:
    """Look each query up; on a miss call `answer(query)` ({"text", "citations"}) and store it.
    Returns the cache's stats plus `order_specific_hits` (must be 0) and `wrong_topic_hits`
    (a hit answered from another topic's entry, when queries carry a "topic")."""
    cache = cache or AnswerCache()
    order_hits = wrong_topic = queries_seen = 0
    for query in queries:
        queries_seen += 1
        question, intent, context = query["question"], query["intent"], query.get("context")
        private = bool(query.get("order_specific")) or bool(order_identifiers(question)) or _carries_private(context)
        hit = cache.get(intent, question, current_versions, context=context)
        if hit is not None:
            order_hits += int(private)
            wrong_topic += int(query.get("topic") is not None and hit.get("topic") != query.get("topic"))
            continue
        result = answer(query)
        stored = {"text": result.get("text", ""), "topic": query.get("topic")}
        if result.get("citations"):
            cache.put(intent, question, stored, result["citations"], context=context)
    stats = cache.stats()
    stats.update(queries=queries_seen, order_specific_hits=order_hits, wrong_topic_hits=wrong_topic)
    return stats
