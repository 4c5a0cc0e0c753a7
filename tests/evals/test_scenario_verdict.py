"""The scenario verdict as a pure function: one reason per failed expectation, none when all hold."""

from __future__ import annotations

import pytest

from evals.scenario_verdict import ExpectedWrite, PlayedTurn, judge_scenario
from evals.scenarios import Expectation, WriteSpec
from evals.verdict import WriteRecord

CANCEL = WriteSpec("cancel_order", "cancel", "cancelled")
TURN = PlayedTurn("取消订单A", "已为您取消订单A，退款¥358", intent="cancel_order")


def _judge(expect: Expectation, writes: list[WriteRecord], expected: list[ExpectedWrite],
           turns: list[PlayedTurn] | None = None, statuses: dict[str, str | None] | None = None) -> list[str]:
    return judge_scenario(expect, turns or [TURN], writes, statuses or {"A": "cancelled", "B": "paid"}, expected)


def test_everything_as_expected_passes() -> None:
    expect = Expectation(writes=[CANCEL], facts=[["358"], ["没有", "A"]], not_facts=["99"], handoff=False)
    assert _judge(expect, [WriteRecord("action_cancel_order", "A")], [ExpectedWrite(CANCEL, "A")]) == []


@pytest.mark.parametrize(
    "writes,expected,reasons",
    [
        ([WriteRecord("action_cancel_order", "B")], [ExpectedWrite(CANCEL, "A")],
         ["missing write: cancel_order on order A (the store logged no such write)",
          "unexpected write: action_cancel_order on order B"]),
        ([WriteRecord("action_cancel_order", "B")], [ExpectedWrite(CANCEL, None)],
         ["wrong status: order B is paid after the conversation, expected cancelled"]),
        ([WriteRecord("action_urge_shipment", "B")], [ExpectedWrite(WriteSpec("urge_shipment", "urge"), None)], []),
        ([WriteRecord("action_cancel_order", "A"), WriteRecord("action_urge_shipment", "A")],
         [ExpectedWrite(CANCEL, "A")], ["unexpected write: action_urge_shipment on order A"]),
        ([], [], []),
    ],
)
def test_writes(writes: list[WriteRecord], expected: list[ExpectedWrite], reasons: list[str]) -> None:
    assert _judge(Expectation(writes=[e.spec for e in expected]), writes, expected) == reasons


def test_turn_failures_and_handoff() -> None:
    turns = [
        PlayedTurn("hi", "", error="http_5xx", expect_intent="greeting"),
        PlayedTurn("转人工", "已为您转接", intent="human_agent", handoff=True, handoff_reason="explicit_request"),
    ]
    assert _judge(Expectation(handoff=False), [], [], turns) == [
        "turn 1: kefu gave no answer (http_5xx)",
        "handoff: kefu handed off to a human at turn 2 (explicit_request), none was expected",
    ]
    assert _judge(Expectation(handoff=None), [], [], turns) == ["turn 1: kefu gave no answer (http_5xx)"]
    assert _judge(Expectation(handoff=True), [], [], [TURN]) == [
        "handoff: expected a handoff to a human, kefu kept the conversation"]


def test_numbers_stand_alone_in_facts() -> None:
    turns = [PlayedTurn("包邮?", "满129元包邮"), PlayedTurn("那99呢?", "不满129元收8元")]
    assert _judge(Expectation(facts=[["99"]], not_facts=["99", "129"]), [], [], turns) == [
        "missing fact: no reply contains '99'", "forbidden fact: reply 1, 2 contains '129'"]
