"""Issue 21, a commitment made real: kefu's next step on a problem the customer reported on ("a person checks
with the carrier, reply yes") is offered once; when the customer reports back again instead of answering
("门卫也说没有"), the step is taken (a callback ticket with the shop's hours) rather than offered again.
Scripted conversations asserting the state and reply after each turn."""

from __future__ import annotations

from typing import Any

REPLY_YES = "回复“好的”"


def _state(turn: dict[str, Any]) -> dict[str, Any]:
    return dict(turn.get("state") or {})


def _step_offered(talk, cases) -> None:
    talk("显示签收了 我没收到啊")
    talk(cases["price_drop"])  # the signed-for order, looked up
    report = talk("快递柜我看了没有")
    assert "快递公司核查" in report["reply"] and REPLY_YES in report["reply"]
    assert _state(report)["pending_question"] == {"kind": "transfer", "turn": 3, "step": True}
    assert report["handoff"]["active"] is False


def test_a_second_report_back_takes_the_step(talk, cases):
    _step_offered(talk, cases)
    again = talk("门卫也说没有")
    assert again["handoff"]["active"] is True and again["handoff"]["reason"] == "unresolved_turns"
    assert "人工客服来核查" in again["reply"] and "工单" in again["reply"]
    assert "9:00-22:00" in again["reply"] or "服务时间" in again["reply"]  # the shop's hours
    assert REPLY_YES not in again["reply"]  # not offered again
    assert _state(again)["pending_question"] is None


def test_a_new_question_after_the_step_is_answered_not_handed_off(talk, cases):
    _step_offered(talk, cases)
    other = talk("退货运费谁出")
    assert other["handoff"]["active"] is False
    assert "运费" in other["reply"]
