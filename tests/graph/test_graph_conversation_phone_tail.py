"""Issue 21: "手机尾号5586" names the order by its delivery phone, not by the order number's last digits; one
order with that phone is taken, several are offered, none is said plainly. Scripted conversations asserting the
state and reply after each turn, with negative cases (an order suffix stays an order suffix)."""

from __future__ import annotations

from typing import Any

from graph.nodes.dst_slots import phone_tail


def _state(turn: dict[str, Any]) -> dict[str, Any]:
    return dict(turn.get("state") or {})


def test_phone_tail_is_read_as_the_delivery_phone_not_the_order_suffix():
    assert phone_tail("手机尾号5586") == "5586"
    assert phone_tail("收货电话后四位是5586") == "5586"
    assert phone_tail("my phone ending in 5586") == "5586"
    assert phone_tail("订单尾号5586") is None  # the order's own digits
    assert phone_tail("手机尾号55867") is None  # not four digits


def test_a_phone_tail_no_order_goes_to_is_said_plainly(talk):
    asked = talk("我的快递到哪了")
    assert _state(asked)["awaiting_slot"] == "order_id"

    tail = talk("手机尾号5586")  # the demo orders go to 138****8000
    assert "没有收货手机尾号是5586的" in tail["reply"]
    assert not _state(tail)["slots"].get("order_id") and not _state(tail)["slots"].get("order_suffix")
    assert "phone_tail" not in {k for k, v in _state(tail)["slots"].items() if v}


def test_a_phone_tail_of_several_orders_offers_them(talk):
    talk("我的快递到哪了")
    tail = talk("手机尾号8000")
    assert "收货手机尾号8000的订单有好几笔" in tail["reply"]
    assert "没有收货手机尾号" not in tail["reply"]
    assert "机械键盘" in tail["reply"] and "轻薄羽绒服" in tail["reply"]  # the orders to pick from
    assert not _state(tail)["slots"].get("order_id")


def test_an_order_suffix_is_still_an_order_suffix(talk, cases):
    talk("我的快递到哪了")
    given = talk(f"订单尾号{cases['price_drop'][-4:]}")
    assert _state(given)["slots"]["order_id"] == cases["price_drop"]
    assert "手机尾号" not in given["reply"]
