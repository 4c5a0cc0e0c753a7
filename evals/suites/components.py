"""Component suites: `nlu` (front-tier accuracy), `kb` (retrieval recall@k) and `cache`
(answer-cache hit rate on a Zipf replay). Each calls its owner's scorer; a missing scorer or
data file stops the suite with a message naming it."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals import phrasing
from evals.env import open_env
from evals.suites.base import SuiteError, SuiteOptions, SuiteResult
from evals.task_catalog import POLICY_INTENTS

REPO = Path(__file__).resolve().parents[2]
NLU_HELDOUT = REPO / "finetune" / "nlu" / "data" / "heldout.jsonl"
KB_QUESTIONS = REPO / "evals" / "data" / "kb_questions.jsonl"
DEFAULT_CACHE_QUERIES = 2000


def _import(module: str, name: str) -> Callable[..., Any]:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise SuiteError(
            f"{module}.{name} is not available ({exc}); its owner has not shipped it yet"
        ) from exc


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Rows of a JSONL file; a clear error when it is missing or malformed."""
    if not path.exists():
        raise SuiteError(f"data file {path} is missing")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise SuiteError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if limit and len(rows) >= limit:
            break
    return rows


def numbers_only(result: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a scorer's result into numeric metrics (summary) and the rest (charts)."""
    summary = {k: v for k, v in result.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    rest = {k: v for k, v in result.items() if k not in summary}
    return summary, rest


def run_nlu(opts: SuiteOptions) -> SuiteResult:
    """evals.bench_nlu.evaluate_nlu(load_nlu(settings), heldout examples)."""
    evaluate = _import("evals.bench_nlu", "evaluate_nlu")
    load_nlu = _import("graph.nlu", "load_nlu")
    path = opts.data_path or NLU_HELDOUT
    if not path.exists():
        raise SuiteError(
            f"{path} is missing: build it with `python -m finetune.nlu.corpus --out finetune/nlu/data`"
        )
    examples = read_jsonl(path, opts.conversations)
    summary, rest = numbers_only(dict(evaluate(load_nlu(opts.settings), examples)))
    summary.setdefault("examples", len(examples))
    for key, value in rest.items():  # nested per-intent figures stay in the summary when numeric
        if (
            key != "confusion"
            and isinstance(value, dict)
            and all(isinstance(v, (int, float)) for v in value.values())
        ):
            summary[key] = value
    charts = {"confusion": rest.get("confusion") or rest.get("intent_confusion") or {}}
    return SuiteResult("nlu", summary, charts, [{k: v} for k, v in rest.items() if k != "confusion"])


def run_kb(opts: SuiteOptions) -> SuiteResult:
    """evals.bench_kb.evaluate_retrieval(open_kb(settings), questions) on a throw-away copy of the shop."""
    evaluate = _import("evals.bench_kb", "evaluate_retrieval")
    open_kb = _import("knowledge", "open_kb")
    path = opts.data_path or KB_QUESTIONS
    if not path.exists():
        raise SuiteError(f"data file {path} is missing")
    try:  # the knowledge helper's own reader, when it ships one
        questions = list(_import("evals.bench_kb", "load_questions")(path))[: opts.conversations or None]
    except SuiteError:
        questions = read_jsonl(path, opts.conversations)
    env = open_env(opts.settings, None, opts.source_data_dir, opts.in_place)
    try:
        summary, rest = numbers_only(dict(evaluate(open_kb(env.settings), questions)))
    finally:
        env.close()
    summary.setdefault("questions", len(questions))
    return SuiteResult("kb", summary, {}, [{k: v} for k, v in rest.items()])


def cache_topics() -> list[dict[str, Any]]:
    """Policy-question topics with their paraphrases (all languages, plus typo'd copies)."""
    import random

    rng = random.Random(11)
    typist = phrasing.personas()["elderly_verbose"]
    topics = []
    for topic, entry in sorted(phrasing.load_data()["policy_questions"].items()):
        questions = [q for lang in ("zh", "en", "mixed") for q in entry.get(lang, [])]
        questions += [phrasing.add_typos(q, typist.typo_rate, rng, "zh") for q in entry.get("zh", [])]
        topics.append(
            {
                "id": topic,
                "intent": POLICY_INTENTS.get(topic, "return_policy"),
                "questions": list(dict.fromkeys(questions)),
            }
        )
    return topics


def run_cache(opts: SuiteOptions) -> SuiteResult:
    """Zipf replay of policy questions through graph.generation's AnswerCache, answered from the KB."""
    replay = _import("graph.generation", "replay_cache")
    traffic = _import("graph.generation", "zipf_traffic")
    cache_cls = _import("graph.generation", "AnswerCache")
    open_kb = _import("knowledge", "open_kb")
    order_questions = [
        {"intent": "order_status", "question": f"帮我查下订单31302109{8950 + i}"} for i in range(20)
    ]
    queries = traffic(
        cache_topics(),
        opts.conversations or DEFAULT_CACHE_QUERIES,
        seed=opts.seed,
        order_questions=order_questions,
    )
    env = open_env(opts.settings, None, opts.source_data_dir, opts.in_place)
    try:
        kb = open_kb(env.settings)

        def answer(query: dict[str, Any]) -> dict[str, Any]:
            hits = kb.search(query["question"], k=1)
            if not hits:
                return {"text": "", "citations": []}
            return {
                "text": hits[0]["text"],
                "citations": [{"policy_id": hits[0]["policy_id"], "version": hits[0]["version"]}],
            }

        stats = replay(queries, answer=answer, current_versions=kb.versions_of, cache=cache_cls())
    finally:
        env.close()
    summary, rest = numbers_only(dict(stats))
    summary["wrong_hits"] = int(stats.get("order_specific_hits", 0)) + int(stats.get("wrong_topic_hits", 0))
    summary.setdefault("hit_rate", round(stats.get("hits", 0) / max(1, stats.get("lookups", 1)), 4))
    return SuiteResult("cache", summary, {}, [rest] if rest else [])
