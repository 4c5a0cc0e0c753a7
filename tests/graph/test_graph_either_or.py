"""Issue 21, no wrong either/or questions: a message that names one of the two readings itself ("坏了 想保修")
gets that one, and an unsure reading with a topic in play among the readings goes on with the topic; a
first message that could be either is still asked about. Unit cases and scripted turns."""

from __future__ import annotations

from typing import Any

from graph.nodes.dst import _names_one, _unsure_reading

RETURN_OR_REPAIR = [{"intent": "return_request", "label": "申请退货"}, {"intent": "warranty_repair", "label": "保修维修"}]


def _state(turn: dict[str, Any]) -> dict[str, Any]:
    return dict(turn.get("state") or {})


def test_a_reading_the_message_names_is_taken():
    assert _names_one("吹风机坏了 想保修", RETURN_OR_REPAIR) == "warranty_repair"  # type: ignore[arg-type]
    assert _names_one("吹风机坏了", RETURN_OR_REPAIR) is None  # type: ignore[arg-type]


def test_an_unsure_reading_goes_on_with_the_topic_only_when_it_is_a_reading():
    candidates = [{"intent": "refund_status"}, {"intent": "return_request"}]
    on_topic = {"ask": True, "active_intent": "refund_status", "candidates": candidates, "intent": "return_request"}
    assert _unsure_reading(on_topic) == "refund_status"  # type: ignore[arg-type]
    elsewhere = {**on_topic, "active_intent": "invoice"}
    assert _unsure_reading(elsewhere) is None  # type: ignore[arg-type]
    assert _unsure_reading({**on_topic, "ask": False}) is None  # type: ignore[arg-type]


def test_a_broken_item_with_the_repair_named_is_not_asked_about(talk):
    named = talk("吹风机坏了 想保修")
    assert _state(named)["dialogue_act"] != "clarify"
    assert "想确认一下" not in named["reply"]
    assert named["intent"] == "warranty_repair"


def test_a_broken_item_alone_is_still_asked_about(talk):
    asked = talk("吹风机坏了")
    assert _state(asked)["dialogue_act"] == "clarify"
    assert _state(asked)["pending_question"]["kind"] == "choice"
