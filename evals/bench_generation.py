"""Benchmark of the generation tier (no LLM): composer fact accuracy, answer-cache hit rate on a
Zipf replay of FAQ traffic, and the added latency of the generation step.

    .venv/bin/python evals/bench_generation.py            # all three, prints JSON figures
    .venv/bin/python evals/bench_generation.py --use      # also replay the cache with USE embeddings
    .venv/bin/python evals/bench_generation.py --fixture  # test fixture policies instead of the demo KB

Questions and traffic come from tests/generation/data/ (kb_questions.yaml, questions.yaml,
faq_paraphrases.yaml). The knowledge base is the demo shop's (`knowledge.open_kb`) in a temp folder.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "generation" / "data"
sys.path.insert(0, str(ROOT))

from app.settings import Settings  # noqa: E402 - after the path set-up, so the script runs from a checkout
from graph.generation import AnswerCache, generate_reply, replay_cache, zipf_traffic  # noqa: E402
from graph.reply.policy import answer_policy_question, compose_policy_answer  # noqa: E402

_NOISE_START = ["", "想问一下", "麻烦问下", "我想知道", "客服，", "急，", "那个", "请教一下"]
_NOISE_END = ["", "谢谢", "急", "呀", "哈", "好吗", "有人吗"]


def _load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


class Retriever:
    """kb.search / versions_of / full text over the demo KB, or over the fixture policies."""

    def __init__(self, fixture: bool) -> None:
        self.kb = None
        if not fixture:
            from knowledge import open_kb

            self.kb = open_kb(Settings(data_dir=Path(tempfile.mkdtemp(prefix="kefu-bench-gen-"))))
        self.policies = _load("policies.yaml")

    def search(self, question: str, ids: list[str] | None = None) -> list[dict[str, Any]]:
        if self.kb is not None:
            return self.kb.search(question, k=3)
        return [
            {"policy_id": pid, "version": self.policies[pid]["version"], "title": self.policies[pid]["title"],
             "score": 0.8 - 0.15 * i, "text": self.policies[pid]["text"]}
            for i, pid in enumerate(ids or [])
        ]

    def versions_of(self, ids: list[str]) -> dict[str, int]:
        if self.kb is not None:
            return self.kb.versions_of(ids)
        return {i: self.policies[i]["version"] for i in ids if i in self.policies}

    def expand(self, pid: str, version: int) -> str | None:
        return self.kb.get(pid, version)["body"] if self.kb is not None else None


def _states(text: str, expect: list) -> bool:
    groups = [g if isinstance(g, list) else [g] for g in expect]
    return all(any(str(alt) in text for alt in group) for group in groups)


def bench_facts(ret: Retriever) -> dict[str, Any]:
    """Share of policy questions whose composed answer states the expected facts."""
    cases = _load("questions.yaml") if ret.kb is None else _load("kb_questions.yaml")
    out: dict[str, Any] = {"questions": len(cases), "source": "fixture" if ret.kb is None else "kb_demo"}
    for label, expand in (("chunks_only", None), ("with_expand", ret.expand)):
        misses = []
        for case in cases:
            passages = ret.search(case["q"], case.get("passages"))
            answer = compose_policy_answer(case["q"], passages, language=case["lang"], emotion=None,
                                           intent=case["intent"], expand=expand)
            if not (answer["grounded"] and _states(answer["text"], case["expect"])):
                misses.append(case["q"])
        out[f"fact_accuracy_{label}"] = round(1 - len(misses) / len(cases), 4)
        out[f"misses_{label}"] = misses
    return out


def _noisy(traffic: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """The same traffic with fillers the cache key does not strip, so exact repeats become rare."""
    rng = random.Random(seed)
    out = []
    for q in traffic:
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in q["question"])
        if q.get("order_specific") or not chinese:
            out.append(q)
        else:
            out.append({**q, "question": rng.choice(_NOISE_START) + q["question"] + rng.choice(_NOISE_END)})
    return out


def bench_cache(ret: Retriever, n: int, matcher: str, threshold: float, noisy: bool) -> dict[str, Any]:
    """Hit rate on a Zipf replay of FAQ traffic with 15% order-specific questions."""
    faq = _load("faq_paraphrases.yaml")
    traffic = zipf_traffic(faq["topics"], n, s=1.0, seed=11, order_share=0.15,
                           order_questions=faq["order_questions"])
    traffic = _noisy(traffic, 5) if noisy else traffic

    def answer(query: dict[str, Any]) -> dict[str, Any]:
        return compose_policy_answer(query["question"], ret.search(query["question"]), language="zh",
                                     emotion=None, intent=query["intent"], expand=ret.expand)

    cache = AnswerCache(matcher=matcher, threshold=threshold)
    stats = replay_cache(traffic, answer=answer, current_versions=ret.versions_of, cache=cache)
    keys = ("queries", "hit_rate", "hits", "similar_hits", "order_specific_hits", "wrong_topic_hits",
            "refused", "entries", "bytes", "matcher", "threshold")
    return {"traffic": "noisy" if noisy else "paraphrases",
            **{k: round(stats[k], 4) if isinstance(stats[k], float) else stats[k] for k in keys}}


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {"p50_ms": round(statistics.median(samples), 3),
            "p95_ms": round(samples[max(0, int(0.95 * len(samples)) - 1)], 3), "max_ms": round(samples[-1], 3)}


def bench_latency(ret: Retriever, rounds: int) -> dict[str, Any]:
    """Added latency of the generation step without an LLM (retrieval excluded): cache lookup,
    composition (with the full-text read of the best policy) and generate_reply's pass-through."""
    cases = _load("kb_questions.yaml") if ret.kb is not None else _load("questions.yaml")
    prepared = [(c, ret.search(c["q"], c.get("passages"))) for c in cases]
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="kefu-bench-gen-lat-")))
    cache = AnswerCache()
    samples: list[float] = []
    for _ in range(rounds):
        cache.clear()  # measure misses (the slow path): every answer is composed
        for case, passages in prepared:
            start = time.perf_counter()
            result = answer_policy_question(case["q"], passages, language=case["lang"],
                                            emotion={"label": "neutral", "intensity": 0.1}, intent=case["intent"],
                                            cache=cache, current_versions=ret.versions_of, expand=ret.expand)
            generate_reply(settings=settings, draft=result["text"], context={"question": case["q"]})
            samples.append((time.perf_counter() - start) * 1000)
    return {"samples": len(samples), **_percentiles(samples)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixture", action="store_true", help="fixture policies instead of the demo KB")
    parser.add_argument("--replay", type=int, default=3000, help="queries in the cache replay")
    parser.add_argument("--rounds", type=int, default=5, help="latency rounds over the question set")
    parser.add_argument("--use", action="store_true", help="also replay with the USE matcher")
    args = parser.parse_args(argv)
    ret = Retriever(args.fixture)
    figures: dict[str, Any] = {"composer": bench_facts(ret)}
    if ret.kb is not None:
        runs = [("ngram", t) for t in (0.5, 0.6, 0.7)] + ([("use", t) for t in (0.75, 0.85)] if args.use else [])
        figures["cache"] = [bench_cache(ret, args.replay, m, t, noisy) for noisy in (False, True) for m, t in runs]
    figures["latency_no_llm"] = bench_latency(ret, args.rounds)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
