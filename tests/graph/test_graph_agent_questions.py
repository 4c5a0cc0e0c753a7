"""A question about the shop's human service (its hours, its phone) is answered from the policies and opens no
ticket; asking to be put through to a person still hands off."""

from __future__ import annotations

import pytest

from app.settings import Settings
from graph import escalation
from graph.builder import route
from graph.dialogue_acts import asks_about_agents


def _state(**kw):
    base = {"intent": "human_agent", "confidence": 0.9, "dialogue_act": "request", "text": "", "entities": [],
            "slots": {}, "pending_action": None, "awaiting_slot": None}
    return {**base, **kw}


@pytest.mark.parametrize("text", ["人工客服几点下班", "客服几点上班啊", "你们客服电话多少",
                                  "what time are your human agents online?",
                                  "are your agents available on weekends?"])
def test_a_question_about_the_human_service_is_answered_from_the_policies(text):
    state = _state(text=text)
    assert asks_about_agents(text)
    assert escalation.before_answer(state, Settings()) is None
    assert route(state) == "retrieve"


@pytest.mark.parametrize("text", ["转人工", "帮我找人工客服", "人工客服在吗", "什么时候能转人工",
                                  "I want to talk to a human agent"])
def test_asking_for_a_person_still_hands_off(text):
    state = _state(text=text)
    assert not asks_about_agents(text)
    assert escalation.before_answer(state, Settings()) == "explicit_request"


def test_the_service_hours_question_gets_the_rule_and_no_ticket(talk):
    turn = talk("人工客服几点下班")
    assert not turn["handoff"]["active"] and not turn["handoff"].get("ticket_id"), turn["reply"]
    assert {c["policy_id"] for c in turn["citations"]} == {"human-service"}, turn["reply"]
    assert "22:00" in turn["reply"]
