"""A short situation on an order topic ("钱还没回来", "不想要了") with a close policy is answered from it (the offer
to act after the rule); a request to act, a named order, or a situation no policy is close to goes to the action."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from graph.builder import SITUATION_SCORE, rule_first
from graph.dialogue_acts import describes_situation


def _ctx(score: float):
    return SimpleNamespace(policies=SimpleNamespace(search=lambda text, k=1: [{"policy_id": "p", "score": score}]))


def _state(text: str, **kw):
    base = {"intent": "return_request", "confidence": 0.9, "dialogue_act": "request", "text": text,
            "entities": [], "slots": {}, "pending_action": None, "awaiting_slot": None}
    return {**base, **kw}


@pytest.mark.parametrize("text", ["钱还没回来", "不想要了", "到了都化了", "刚买完就便宜了。。。", "没收到货",
                                  "瓶子漏了一半", "碎了两瓶", "外包装的纸盒烂了 里面的没事"])
def test_a_situation_described_is_recognised(text):
    assert describes_situation(text)


@pytest.mark.parametrize("text", ["取消订单", "我要退货", "帮我取消", "我的快递还没到", "退货", "退货要几天内寄回？",
                                  "今天吃了火锅", "了解了解", "漏了一半 能退吗", "碎了两瓶 帮我退了",
                                  "这个面霜用了一半了感觉还行吧就是有点油"])
def test_requests_commands_and_questions_are_not_situations(text):
    assert not describes_situation(text)


def test_a_situation_with_a_close_rule_is_answered_from_it():
    assert rule_first(_state("不想要了"), _ctx(SITUATION_SCORE + 0.2))


def test_a_situation_no_rule_is_close_to_goes_to_the_action():
    assert not rule_first(_state("不想要了"), _ctx(SITUATION_SCORE - 0.2))


def test_a_request_or_a_named_order_still_acts():
    ctx = _ctx(0.9)
    assert not rule_first(_state("我要退货"), ctx)
    named = _state("不想要了 订单313021098954", entities=[{"type": "order_id", "value": "313021098954"}])
    assert not rule_first(named, ctx)
    assert not rule_first(_state("不想要了", awaiting_slot="order_id"), ctx)



@pytest.mark.parametrize("intent, text", [
    ("cancel_order", "零食已经打包了还没发 取消要扣钱吗"),
    ("logistics_tracking", "I live in Xinjiang, how much is shipping if my order is small?"),
])
def test_a_stated_state_then_a_rule_question_is_answered_from_the_policies(intent, text):
    from graph.builder import route

    assert route(_state(text, intent=intent)) == "retrieve"


@pytest.mark.parametrize("intent, text", [
    ("return_request", "我的快递还没到 能退吗"), ("logistics_tracking", "where is my order?"),
    ("urge_shipment", "怎么还没发货 我冻品是周日下的单"),
])
def test_ones_own_order_asked_after_still_acts(intent, text):
    from graph.builder import route

    assert route(_state(text, intent=intent)) == "act"


def _shop(choices: int):
    """A shop whose action check needs the order and offers `choices` candidate orders."""
    orders = [{"order_id": f"30000000000{i}", "item": "沙发"} for i in range(choices)]
    return SimpleNamespace(run=lambda name, **kw: {"status": "need_slot", "missing": ["order_id"], "choices": orders})


def _ctx_with_shop(score: float, choices: int):
    return SimpleNamespace(user_id="u1", shop=_shop(choices),
                           policies=SimpleNamespace(search=lambda text, k=1: [{"policy_id": "p", "score": score}]))


@pytest.mark.parametrize("intent, text", [
    ("logistics_tracking", "东西啥时候能到我家啊 急用"), ("refund_status", "钱咋还没回来 都退了好几天了"),
    ("return_request", "开了的还能退不"),
])
def test_a_question_the_action_would_only_ask_which_order_for_gets_the_confident_rule(intent, text):
    """Issue 21 (d): the action has several candidate orders and would answer a bare "which order?"."""
    assert rule_first(_state(text, intent=intent), _ctx_with_shop(SITUATION_SCORE + 0.1, choices=3))


def test_the_rule_comes_first_only_when_it_is_confident_and_the_action_would_ask():
    state = _state("东西啥时候能到我家啊 急用", intent="logistics_tracking")
    assert not rule_first(state, _ctx_with_shop(SITUATION_SCORE - 0.05, choices=3))  # a weak rule: ask
    assert not rule_first(state, _ctx_with_shop(0.9, choices=1))  # one order to read: the action reads it


@pytest.mark.parametrize("intent, text", [
    ("return_request", "我要退货"), ("cancel_order", "帮我取消"), ("modify_order", "帮我改个地址"),
    ("urge_shipment", "催一下发货"), ("logistics_tracking", "我的快递到哪了"), ("logistics_tracking", "where is my order?"),
    ("refund_status", "我的退款到账了吗？"), ("logistics_tracking", "快递怎么还不到！！太慢了！！"),
])
def test_a_clear_request_or_ones_own_order_asked_after_still_goes_to_the_action(intent, text):
    assert not rule_first(_state(text, intent=intent), _ctx_with_shop(0.9, choices=3))
