"""The evaluation suites of `kefu eval run --suite NAME` (registry and one entry point)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from evals.suites.base import SuiteError, SuiteOptions, SuiteResult

SUITES: dict[str, str] = {
    "nlu": "front-tier intent accuracy, entity F1 and emotion accuracy on the held-out set",
    "kb": "policy retrieval recall@1/@3 on evals/data/kb_questions.jsonl",
    "dialog": "goal-driven simulated customers: FCR, handoff rate, front-tier share, turns, correct actions",
    "stress": "20% abnormal input, 15% mixed language, 5% questions on a policy changed mid-run",
    "cache": "answer-cache hit rate and wrong hits on a Zipf replay of policy questions",
    "load": "concurrent customers against a real `kefu serve`: throughput and latency percentiles",
    "scenarios": "your scenario file (--tasks FILE.yaml): a verdict with reasons per scenario, pass^k with --repeat",
    "replay": "shadow mode: past conversations (--data FILE.jsonl) replayed, kefu's reply beside the agent's",
    "shop": "a second shop's policies imported into a fresh shop, its questions through the chat: fact-in-reply",
}


def run_suite(name: str, opts: SuiteOptions, out_dir: Path) -> SuiteResult:
    """Run one suite by name."""
    runners: dict[str, Callable[[], SuiteResult]] = {
        "nlu": lambda: _call("evals.suites.components", "run_nlu", opts),
        "kb": lambda: _call("evals.suites.components", "run_kb", opts),
        "cache": lambda: _call("evals.suites.components", "run_cache", opts),
        "dialog": lambda: _call("evals.suites.dialog", "run_dialog", opts),
        "stress": lambda: _call("evals.suites.stress", "run_stress", opts),
        "load": lambda: _call("evals.suites.load", "run_load", opts, out_dir),
        "scenarios": lambda: _call("evals.suites.scenarios", "run_scenarios", opts),
        "replay": lambda: _call("evals.suites.replay", "run_replay", opts),
        "shop": lambda: _call("evals.suites.shop", "run_shop", opts),
    }
    if name not in runners:
        raise SuiteError(f"unknown suite {name!r}; known: {', '.join(SUITES)}")
    return runners[name]()


def _call(module: str, func: str, *args: object) -> SuiteResult:
    import importlib

    return getattr(importlib.import_module(module), func)(*args)


__all__ = ["SUITES", "SuiteError", "SuiteOptions", "SuiteResult", "run_suite"]
