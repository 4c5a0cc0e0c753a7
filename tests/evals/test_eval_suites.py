"""The suites for real, on small sizes, against kefu in-process (and one real `kefu serve`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.settings import Settings
from evals.report import write_run
from evals.suites import SuiteError, SuiteOptions, run_suite

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Settings:
    """One throw-away shop for the module (the suites copy nothing: in place on this temp dir)."""
    return Settings(data_dir=tmp_path_factory.mktemp("shop"))


def test_dialog_suite_small(shop: Settings, tmp_path: Path) -> None:
    result = run_suite(
        "dialog", SuiteOptions(settings=shop, conversations=6, seed=3, in_place=True), tmp_path
    )
    s = result.summary
    for key in ("conversations", "fcr", "handoff_rate", "front_tier_share", "avg_turns"):
        assert isinstance(s[key], (int, float)), key
    assert s["conversations"] == 6 and len(result.records) == 6
    assert 0.0 <= s["fcr"] <= 1.0 and 0.0 <= s["handoff_rate"] <= 1.0 and s["avg_turns"] >= 1
    assert all(r["verdict"] is not None for r in result.records)
    assert s["errors"] == 0
    write_run(tmp_path / "out", [result], {"mode": "test", "seed": 3})
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["conversations"] == 6


def test_stress_suite_small(shop: Settings, tmp_path: Path) -> None:
    result = run_suite(
        "stress", SuiteOptions(settings=shop, conversations=10, seed=5, in_place=True), tmp_path
    )
    s = result.summary
    for key in ("conversations", "turns", "errors", "wrong_facts"):
        assert isinstance(s[key], int), key
    assert s["conversations"] == 10 and s["abnormal_conversations"] == 2
    assert s["policy_change_conversations"] == 1 and s["mixed_conversations"] >= 1
    assert s["unsafe_writes"] == 0  # abnormal input (incl. an injection) must never write
    from knowledge import open_kb

    assert s["policy_change"]["policies_changed"] >= 1 and s["policy_change"]["kb_fresh"] == 1.0
    for query in ("满多少钱包邮", "free shipping threshold"):  # the live change was rolled back afterwards
        hits = open_kb(shop).search(query, k=1)
        assert hits and "129" not in hits[0]["text"]


def test_load_suite_against_a_real_server(shop: Settings, tmp_path: Path) -> None:
    opts = SuiteOptions(settings=shop, seconds=3, concurrency=2, seed=1, in_place=True, max_requests=200)
    result = run_suite("load", opts, tmp_path)
    s = result.summary
    for key in ("turns", "throughput_turns_per_s", "p50_ms", "p95_ms", "p99_ms"):
        assert isinstance(s[key], (int, float)), key
    assert s["turns"] > 0 and s["errors"] == 0 and s["p50_ms"] <= s["p95_ms"] <= s["p99_ms"]
    assert (tmp_path / "kefu-serve.log").exists()


def test_cache_suite(shop: Settings, tmp_path: Path) -> None:
    result = run_suite("cache", SuiteOptions(settings=shop, conversations=300, in_place=True), tmp_path)
    assert 0.0 < result.summary["hit_rate"] <= 1.0
    assert result.summary["wrong_hits"] == 0


def test_unknown_suite_is_a_clear_error(shop: Settings, tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match="unknown suite"):
        run_suite("nope", SuiteOptions(settings=shop), tmp_path)


def test_kb_suite_small(shop: Settings, tmp_path: Path) -> None:
    result = run_suite("kb", SuiteOptions(settings=shop, conversations=15, in_place=True), tmp_path)
    assert result.summary["questions"] == 15
    assert 0.0 <= result.summary["recall_at_1"] <= result.summary["recall_at_3"] <= 1.0


def test_nlu_suite_small(shop: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("evals.bench_nlu", reason="the NLU helper's scorer is not shipped yet")
    import subprocess
    import sys

    from evals.suites import components

    if not components.NLU_HELDOUT.exists():  # build the held-out set the NLU helper's way, here
        subprocess.run(
            [sys.executable, "-m", "finetune.nlu.corpus", "--out", str(tmp_path)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        monkeypatch.setattr(components, "NLU_HELDOUT", tmp_path / "heldout.jsonl")
    result = run_suite("nlu", SuiteOptions(settings=shop, conversations=60, in_place=True), tmp_path)
    for key in ("intent_accuracy", "entity_f1", "emotion_accuracy"):
        assert 0.0 <= result.summary[key] <= 1.0
    assert result.summary["examples"] == 60 and result.charts["confusion"]


def test_a_missing_component_is_named() -> None:
    from evals.suites.components import _import, read_jsonl

    with pytest.raises(SuiteError, match="evals.no_such_bench.evaluate"):
        _import("evals.no_such_bench", "evaluate")
    with pytest.raises(SuiteError, match="missing"):
        read_jsonl(Path("/nonexistent/heldout.jsonl"))


def test_load_refuses_a_remote_target(shop: Settings, tmp_path: Path) -> None:
    opts = SuiteOptions(settings=shop, base_url="http://10.1.2.3:8000", seconds=1, in_place=True)
    with pytest.raises(SuiteError, match="loopback"):
        run_suite("load", opts, tmp_path)


def test_shop_suite_small(tmp_path: Path) -> None:
    """A fresh shop imports the second shop's policies (the demo set is retired) and answers through the chat."""
    opts = SuiteOptions(settings=Settings(data_dir=tmp_path / "real"), conversations=4, seed=2)
    result = run_suite("shop", opts, tmp_path)
    s = result.summary
    assert s["questions"] == 4 and len(result.records) == 4 and s["imported"] == 30 and s["rejected"] == 0
    assert s["retired_demo"] >= 38 and 0.0 <= s["fact_in_reply"] <= 1.0 and s["search_top3"] > 0
    assert all(r["reply"] for r in result.records)
    with pytest.raises(SuiteError):
        run_suite("shop", SuiteOptions(settings=opts.settings, in_place=True), tmp_path)
