"""Issue 21, kefu's own offers: a yes that goes on to hand kefu the errand ("好 你帮我问问 今天一定要到啊") accepts
the pending transfer offer; a yes followed by a new question does not. Scripted, state and reply after each turn."""

from __future__ import annotations


def test_a_yes_that_hands_over_the_errand_accepts_the_offer(talk, transfer_offered):
    transfer_offered()
    taken = talk("好 你帮我问问 今天一定要到啊")
    assert taken["handoff"]["active"] is True
    assert "还有其他需要帮忙的" not in taken["reply"]


def test_a_yes_then_a_new_question_is_no_acceptance(talk, transfer_offered):
    transfer_offered()
    asked = talk("好的 那我的退款呢")
    assert asked["handoff"]["active"] is False
