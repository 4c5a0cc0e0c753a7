"""Issue 21, class (b): a customer who names the item of their own order and asks about it ("我的羽绒服发货了吗")
gets that order looked up, not the general shipping rules; an item in none of their orders is said plainly
with the orders to pick from; a rule question about an item ("我买的衣服退货运费谁出") is still answered from
the policies. Scripted, state and reply after each turn."""

from __future__ import annotations

from graph import dialogue_acts as acts


def test_which_messages_ask_about_ones_own_order():
    for text in ("我的羽绒服发货了吗", "羽绒服发货了没", "我买的空气炸锅怎么三天了物流还没动", "我订的台灯到哪了"):
        assert acts.is_request(text), text
    for text in ("我买的衣服退货运费谁出", "发货要多久", "一般几天发货"):
        assert not acts.is_request(text) or acts.asks_about_rules(text), text


def test_a_named_item_finds_its_order(talk, cases):
    found = talk("我的羽绒服发货了吗")
    assert cases["paid"] in found["reply"] and "待发货" in found["reply"]
    assert "根据《" not in found["reply"]
    assert dict(found["state"])["slots"].get("order_id") == cases["paid"]


def test_an_item_in_no_order_is_said_plainly(talk):
    missing = talk("我的蜂蜜怎么还没发")
    assert "没有找到「蜂蜜」" in missing["reply"]
    assert (dict(missing["state"]).get("asked") or {}).get("order_id") == 1
