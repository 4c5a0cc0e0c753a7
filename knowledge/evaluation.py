"""Retrieval quality of a knowledge base on a question set (recall@1, recall@3, MRR)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any


def load_questions(path: Path | str) -> list[dict[str, Any]]:
    """JSONL lines {"query", "expected": [policy ids] or "policy_id"} -> list of dicts."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _expected(question: dict[str, Any]) -> set[str]:
    value = question.get("expected", question.get("policy_id"))
    return {value} if isinstance(value, str) else set(value or [])


def evaluate_retrieval(kb: Any, questions: list[dict[str, Any]], k: int = 3) -> dict[str, Any]:
    """Search each question and score the ranks of its expected policies.

    A question counts as found at rank r when any of its expected ids is the r-th result.
    Returns recall_at_1, recall_at_3, mrr, n, per-language recall and the misses at 3.
    """
    ranks: list[int | None] = []
    by_group: dict[str, list[int | None]] = defaultdict(list)
    misses: list[dict[str, Any]] = []
    for q in questions:
        hits = kb.search(q["query"], k=max(k, 3))
        ids = [h["policy_id"] for h in hits]
        want = _expected(q)
        rank = next((i + 1 for i, pid in enumerate(ids) if pid in want), None)
        ranks.append(rank)
        by_group[str(q.get("lang", "all"))].append(rank)
        if rank is None or rank > 3:
            misses.append({"query": q["query"], "expected": sorted(want), "got": ids[:3]})
    return {
        "n": len(ranks),
        "recall_at_1": _recall(ranks, 1),
        "recall_at_3": _recall(ranks, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / max(len(ranks), 1), 4),
        "by_lang": {
            g: {"n": len(r), "recall_at_1": _recall(r, 1), "recall_at_3": _recall(r, 3)}
            for g, r in sorted(by_group.items())
        },
        "misses": misses,
    }


def _recall(ranks: list[int | None], k: int) -> float:
    return round(sum(1 for r in ranks if r is not None and r <= k) / max(len(ranks), 1), 4)
