"""Metric arithmetic on handmade conversations."""

from __future__ import annotations

import pytest

from evals.client import TurnResult
from evals.conversation import ConversationRecord
from evals.metrics import CostModel, dialog_metrics, f1, first_turn_intents, node_timings, percentile
from evals.tasks import Task
from evals.verdict import Verdict


def _turn(tier: str, ms: float, handoff: bool = False, intent: str = "cancel_order") -> TurnResult:
    data = {
        "reply": "好的",
        "intent": intent,
        "state": {},
        "actions": [],
        "tier": tier,
        "handoff": {"active": handoff},
        "timings": {"nlu_ms": 1.0, "total_ms": ms},
    }
    return TurnResult("取消订单", ms, 200, data)


def _record(passed: bool, turns: list[TurnResult], expect_handoff: bool = False) -> ConversationRecord:
    task = Task(
        task_id="t",
        kind="k",
        goal="cancel_order",
        user_id="u",
        persona="polite",
        intent="cancel_order",
        expect_handoff=expect_handoff,
    )
    verdict = Verdict(passed, passed, True, True, [] if passed else ["missing write"])
    return ConversationRecord(task=task, session="s", turns=turns, outcome="resolved", verdict=verdict)


def test_percentile() -> None:
    assert percentile([], 99) == 0.0
    assert percentile([10.0], 50) == 10.0
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile(range(1, 101), 99) == pytest.approx(99.01)


def test_dialog_metrics() -> None:
    records = [
        _record(True, [_turn("front", 10), _turn("composer", 30)]),
        _record(True, [_turn("composer", 20, handoff=True)]),  # passed but a human stepped in
        _record(True, [_turn("agent", 5, handoff=True)], expect_handoff=True),  # asked for a human
        _record(False, [_turn("front", 40)]),
    ]
    m = dialog_metrics(records)
    assert m["conversations"] == 4 and m["turns"] == 5
    assert m["fcr"] == 0.5 and m["task_success"] == 0.75
    assert m["handoff_rate"] == 0.5 and m["unrequested_handoff_rate"] == 0.25
    assert m["front_tier_share"] == 0.4 and m["avg_turns"] == 1.25
    assert m["p50_ms"] == 20.0 and m["per_tier_latency"]["front"]["turns"] == 2
    assert m["node_p50_ms"] == {"nlu_ms": 1.0, "total_ms": 20.0}
    assert first_turn_intents(records) == {"cancel_order": {"cancel_order": 4}}
    assert node_timings([]) == {}


def test_cost_model() -> None:
    cost = CostModel(cpu_core_hour_cny=3.6, gpu_hour_cny=36.0, per_1k_tokens_cny=1.0)
    cpu = _turn("composer", 1000)
    llm = _turn("llm", 1000)
    llm.data["usage"] = {"total_tokens": 500}
    assert cost.turn_cost(cpu) == pytest.approx(0.001)
    assert cost.turn_cost(llm) == pytest.approx(0.01 + 0.5)


def test_f1() -> None:
    assert f1(0, 0, 0) == 0.0
    assert f1(8, 2, 2) == 0.8
