"""Issue 21, a class the shop-owner judges found on replayed conversations: a problem told with no rule on its
topic ("买的牛肉干打开发霉了！") gets the next step kefu can take (a return or exchange for its order, a carrier
check by a person, or a human) instead of a bare "好的，我记下了". Scripted conversations asserting the state and
reply after each turn, with negative cases."""

from __future__ import annotations

from typing import Any

NOTED = "我记下了"


def _state(turn: dict[str, Any]) -> dict[str, Any]:
    return dict(turn.get("state") or {})


def test_a_quality_problem_gets_the_return_or_exchange_for_its_order(talk, cases):
    told = talk("买的牛肉干打开发霉了！")
    assert told["intent"] == "delivery_problem" and _state(told)["active_intent"] == "delivery_problem"
    assert NOTED not in told["reply"]
    assert "退货退款或换货" in told["reply"] and "「牛肉干」的订单号" in told["reply"]  # the item is known
    assert "转人工" in told["reply"]

    given = talk(f"订单号 {cases['price_drop']}")  # the order asked for is looked up
    assert _state(given)["slots"]["order_id"] == cases["price_drop"]
    assert cases["price_drop"] in given["reply"] and NOTED not in given["reply"]


def test_a_complaint_gets_what_kefu_can_do_and_the_human(talk):
    told = talk("不给我退我就差评")  # angry enough for a callback ticket this very turn
    assert told["intent"] == "complaint" and NOTED not in told["reply"]
    assert "发我订单号" in told["reply"] and "转人工" in told["reply"]
    assert "回复“好的”" not in told["reply"]  # no offer to transfer next to the ticket just opened
    assert told["handoff"]["active"] is True

    later = talk("这个月买的东西都有问题")  # the ticket open: no return offer again, no bare "noted"
    assert "我来帮您把这件事处理好" not in later["reply"]


def test_a_plain_remark_is_still_only_noted(talk):
    talk("我的快递到哪了")
    remark = talk("天这么热")  # no problem told: nothing to offer a return for
    assert "退货退款或换货" not in remark["reply"]


def test_a_parcel_taken_from_the_door_gets_the_carrier_check_not_a_return(talk):
    talk("我的快递到哪了")
    told = talk("我没同意放门口啊 可能被人拿走了")
    if told["intent"] == "delivery_problem" and not told.get("citations"):  # no rule on topic: the next step
        assert "快递公司核查" in told["reply"] and "转人工" in told["reply"]
    assert "退货退款或换货" not in told["reply"] and NOTED not in told["reply"]  # nothing to return
