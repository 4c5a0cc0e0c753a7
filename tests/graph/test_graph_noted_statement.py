"""Issue 21, no "I don't understand" on clear messages: a statement the NLU reads as no request is taken note
of. An angry one gets the problem acknowledged and the next step (a person follows it up, the transfer offer
open for a "好的"); a fact on a topic in play goes on with that topic; a close is acknowledged; a question or
a bare "?" still gets "not understood". Scripted, state and reply after each turn."""

from __future__ import annotations

from typing import Any

from graph.reply.noted import noted_statement


def _state(turn: dict[str, Any]) -> dict[str, Any]:
    return dict(turn.get("state") or {})


def test_an_angry_statement_is_acknowledged_and_passed_on(talk):
    angry = talk("你们尺码表不准啊")
    assert "没太明白" not in angry["reply"]
    assert "记下了" in angry["reply"] and "人工客服" in angry["reply"]
    assert _state(angry)["pending_question"]["kind"] == "transfer"

    taken = talk("好的")
    assert taken["handoff"]["active"] is True


def test_a_fact_on_the_topic_in_play_goes_on_with_it():
    calm = [{"label": "neutral", "intensity": 0.1}]
    fact = noted_statement({"text": "我只有周末在家", "active_intent": "warranty_repair",  # type: ignore[typeddict-item]
                            "emotion_history": calm}, "zh")
    assert fact is not None and "记下了" in fact and "保修" in fact
    close = noted_statement({"text": "算了 晚点再说", "active_intent": "warranty_repair",  # type: ignore[typeddict-item]
                             "emotion_history": calm}, "zh")
    assert close is not None and "记下" not in close
    assert noted_statement({"text": "我只有周末在家", "emotion_history": calm}, "zh") is None  # type: ignore[typeddict-item]
    assert noted_statement({"text": "保修多久", "active_intent": "warranty_repair"}, "zh") is None  # type: ignore[typeddict-item]


def test_with_a_callback_ticket_open_the_statement_goes_on_the_ticket():
    ticket = {"active": True, "status": "callback"}
    said = noted_statement({"text": "我只有周末在家", "handoff": ticket}, "zh")  # type: ignore[typeddict-item]
    assert said is not None and "回电工单" in said and "没太明白" not in said
    close = noted_statement({"text": "算了", "handoff": ticket}, "zh")  # type: ignore[typeddict-item]
    assert close is not None and "补充" not in close


def test_a_question_or_a_bare_mark_is_still_not_understood(talk):
    assert "没太明白" in talk("你叫什么名字")["reply"]
    talk("你好", session="s2")
    assert "没太明白" in talk("？？？", session="s2")["reply"]
