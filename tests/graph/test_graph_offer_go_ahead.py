"""Issue 21, kefu's own offers: a yes that goes on to hand kefu the errand ("好 你帮我问问 今天一定要到啊") accepts
the pending transfer offer; a yes followed by a new question does not. Scripted, state and reply after each turn."""

from __future__ import annotations

from typing import Any


def _offered(talk, order: str) -> dict[str, Any]:
    talk("显示签收了 我没收到啊")
    talk(order)
    offer = talk("快递柜我看了没有")
    assert dict(offer["state"])["pending_question"]["kind"] == "transfer"
    assert offer["handoff"]["active"] is False
    return offer


def test_a_yes_that_hands_over_the_errand_accepts_the_offer(talk, cases):
    _offered(talk, cases["price_drop"])
    taken = talk("好 你帮我问问 今天一定要到啊")
    assert taken["handoff"]["active"] is True
    assert "还有其他需要帮忙的" not in taken["reply"]


def test_a_yes_then_a_new_question_is_no_acceptance(talk, cases):
    _offered(talk, cases["price_drop"])
    asked = talk("好的 那我的退款呢")
    assert asked["handoff"]["active"] is False
