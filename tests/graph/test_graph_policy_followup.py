"""A follow-up rule question after an order the customer named is not in their account: the policy's cases are
chosen even when the best clause lies outside the list being narrowed (this crashed the turn before)."""

from __future__ import annotations


def test_a_refund_question_after_an_unknown_order_is_answered(talk):
    talk("取消订单 钱退回白条吗")
    unknown = talk("订单号 286630917705")
    assert "没有找到订单286630917705" in unknown["reply"]

    asked = talk("分期手续费也退吗")  # crashed in narrowing before: max() of no relevant case
    assert asked["citations"] and "退款" in asked["reply"]
    assert dict(asked["state"])["handoff"]["active"] is False
