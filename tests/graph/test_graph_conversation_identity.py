"""Issue 21, details the customer gave are used, not asked again: a whole mobile number given to say who they
are names the order by its delivery phone (as "手机尾号…" does), the "手机" in front of it is no product, a
phone tail with a topic in play is no either/or question, and a tracking number that is not theirs is named
in the reply. Scripted conversations asserting the state and reply after each turn, with negative cases (a
phone to change to stays that phone)."""

from __future__ import annotations

from typing import Any

from graph.nodes.dst_slots import identity_phone
from graph.nodes.nlu import without_number_labels


def _state(turn: dict[str, Any]) -> dict[str, Any]:
    return dict(turn.get("state") or {})


def test_a_whole_mobile_number_is_read_as_the_delivery_phone_unless_it_is_a_change():
    assert identity_phone({"text": "手机号13957216630"}) == "6630"  # type: ignore[typeddict-item]
    assert identity_phone({"text": "my phone is 13682440157"}) == "0157"  # type: ignore[typeddict-item]
    assert identity_phone({"text": "电话改成13811276650"}) is None  # type: ignore[typeddict-item]
    assert identity_phone({"text": "13811276650", "awaiting_slot": "phone"}) is None  # type: ignore[typeddict-item]
    assert identity_phone({"text": "订单313660218847"}) is None  # type: ignore[typeddict-item]
    known = {"text": "手机13706654921", "slots": {"order_id": "313660218847"}}
    assert identity_phone(known) is None  # type: ignore[arg-type]


def test_the_word_before_a_number_is_no_product():
    phone = [{"type": "product", "value": "手机", "start": 0, "end": 2},
             {"type": "phone", "value": "13706654921", "start": 2, "end": 13}]
    assert [e["type"] for e in without_number_labels(phone, "手机13706654921")] == ["phone"]
    assert without_number_labels([{"type": "product", "value": "手机", "start": 0, "end": 2}], "手机尾号3306") == []
    item = [{"type": "product", "value": "蓝牙耳机", "start": 4, "end": 8}]
    assert without_number_labels(item, "我买的那个蓝牙耳机怎么还没到") == item


def test_a_mobile_number_after_the_order_was_asked_finds_its_orders(talk):
    asked = talk("我的快递到哪了")
    assert _state(asked)["awaiting_slot"] == "order_id"

    mine = talk("手机号13800138000")  # the demo orders go to 138****8000
    assert "收货手机尾号8000的订单有好几笔" in mine["reply"]
    assert "「手机」" not in mine["reply"] and "修改收货地址" not in mine["reply"]
    assert not _state(mine)["slots"].get("phone")  # identity, not a phone to change to


def test_a_mobile_number_no_order_goes_to_is_said_plainly_not_read_as_a_product(talk):
    talk("我的快递到哪了")
    other = talk("手机13706654921")
    assert "没有收货手机尾号是4921的" in other["reply"]
    assert "「手机」" not in other["reply"]
    assert not _state(other)["slots"].get("product")


def test_a_phone_tail_on_a_topic_in_play_asks_no_either_or(talk):
    talk("我买的东西怎么还没到 都五天了")
    tail = talk("订单号不记得了 手机尾号8000")
    assert _state(tail)["dialogue_act"] != "clarify"
    assert "想确认一下" not in tail["reply"]
    assert "尾号8000" in tail["reply"]


def test_a_tracking_number_not_found_is_named(talk):
    talk("where is my package")
    given = talk("SF1409928377102")
    assert "SF1409928377102" in given["reply"] and "order  " not in given["reply"]
    assert not _state(given)["slots"].get("order_id")


def test_a_mobile_number_after_a_rule_answer_looks_the_orders_up(talk):
    rule = talk("包裹少了一件")  # a policy topic: answered from the rules, no order asked for
    assert not _state(rule).get("awaiting_slot")
    mine = talk("手机号13800138000")
    assert "修改收货地址" not in mine["reply"] and "《" not in mine["reply"]
    assert "收货手机尾号8000" in mine["reply"]
