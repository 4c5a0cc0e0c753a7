"""Rule questions are answered from the policies (with the offer to act on matching orders), `other` messages
try the policy base, a procedure question opens no ticket, a stray "确认" leaves nothing dangling."""

from __future__ import annotations

import re

import pytest

from app.settings import Settings
from graph import escalation
from graph.builder import after_resolve, route
from graph.nodes.resume import resume
from graph.reply import wording


def _state(**kw):
    base = {"intent": "other", "confidence": 0.9, "dialogue_act": "request", "text": "", "entities": [],
            "slots": {}, "pending_action": None, "awaiting_slot": None}
    return {**base, **kw}


@pytest.mark.parametrize("intent, text", [
    ("return_request", "退货要在几天内寄回"), ("urge_shipment", "周末发货吗"), ("modify_order", "改地址要收费吗"),
    ("invoice", "专票能开吗"), ("price_protection", "刚买完就降价了 亏死"),
    ("modify_order", "冰箱 already shipped, I want to change the address in the same city, any fee?"),
])
def test_rule_questions_on_order_topics_go_to_the_policies(intent, text):
    assert route(_state(intent=intent, text=text)) == "retrieve"


@pytest.mark.parametrize("intent, text, entities", [
    ("cancel_order", "我要取消订单", []), ("logistics_tracking", "我的快递到哪了？", []),
    ("urge_shipment", "什么时候发货啊，急用", []), ("return_request", "帮我退货", []),
    ("cancel_order", "取消订单", []), ("logistics_tracking", "快递怎么还不到！！太慢了！！", []),
    ("cancel_order", "订单313021098954能取消吗", [{"type": "order_id", "value": "313021098954"}]),
    ("modify_order", "好的，电话改成13912345678", [{"type": "phone", "value": "13912345678"}]),
])
def test_requests_and_named_orders_go_to_the_action(intent, text, entities):
    assert route(_state(intent=intent, text=text, entities=entities)) == "act"


def test_other_and_unsure_messages_try_the_policy_base_but_greetings_do_not():
    assert route(_state(intent="other", text="二楼装空调外机要收高空作业费吗")) == "retrieve"
    assert route(_state(intent="greeting", confidence=0.3, text="在吗，装空调收钱吗")) == "retrieve"
    assert route(_state(intent="greeting", text="你好")) == "respond"
    assert route(_state(intent="other", text="嗯")) == "respond"


def test_a_rule_question_is_answered_then_offers_the_matching_orders(talk):
    turn = talk("已经发货了还能取消吗")
    assert turn["citations"], turn["reply"]
    assert "告诉我是哪一笔订单" in turn["reply"] and turn["reply"].index("根据《") == 0
    assert turn["state"]["awaiting_slot"] == "order_id" and not turn["handoff"]["active"]
    picked = talk("第1个")
    assert picked["actions"] and picked["actions"][-1]["args"].get("order_id")


def test_a_rule_question_without_orders_gets_the_answer_alone(talk):
    turn = talk("已经发货了还能取消吗", user="nobody-without-orders")
    assert turn["citations"] and "哪一笔订单" not in turn["reply"]


def test_an_other_message_the_policies_answer_is_answered_and_noise_is_not(talk):
    answered = talk("二楼装空调外机要收高空作业费吗", session="o1")
    assert answered["citations"] and "安装" in answered["reply"]
    noise = talk("今天晚上吃什么好呢", session="o2")
    assert not noise["citations"] and noise["reply"].endswith(wording.text("other", "zh"))


def test_asking_how_complaints_are_handled_opens_no_ticket(talk):
    turn = talk("你们投诉是怎么处理的")
    assert not turn["handoff"]["active"] and not turn["handoff"].get("ticket_id")
    assert {c["policy_id"] for c in turn["citations"]} == {"complaints"}


def test_a_stray_confirm_never_resumes_into_a_dangling_colon(talk):
    talk("退货运费谁出")
    talk("运费险能赔多少钱？")
    turn = talk("确认")
    assert turn["reply"] == wording.text("stray_confirm", "zh")
    stack = [{"intent": "return_policy", "slots": {}}]
    stray = {"dialogue_act": "stray_confirm", "intent_stack": stack, "resolved": True}
    assert after_resolve(stray) == "__end__"
    popped = resume({"intent_stack": stack, "reply": "目前没有需要您确认的操作。", "language": "zh"}, None)
    assert popped["intent_stack"] == [] and "reply" not in popped  # nothing to carry on with, nothing said



def test_a_rule_question_naming_a_product_offers_only_the_orders_holding_it(talk):
    everyone = talk("已经发货了还能取消吗", session="p0")
    assert len(re.findall(r"\d{12}", everyone["reply"])) >= 2 and "羽绒服" in everyone["reply"], everyone["reply"]
    named = talk("羽绒服已经发货了还能取消吗", session="p1")
    assert named["citations"] and "告诉我是哪一笔订单" in named["reply"], named["reply"]
    assert len(re.findall(r"\d{12}", named["reply"])) == 1 and "羽绒服" in named["reply"]
    assert named["state"]["awaiting_slot"] == "order_id"
    none = talk("冰箱已经发货了还能取消吗", session="p2")
    assert none["citations"] and "哪一笔订单" not in none["reply"] and not none["state"].get("awaiting_slot")


@pytest.mark.parametrize("intent, text", [
    ("modify_order", "还没发货的话改地址要收费吗"), ("return_request", "如果已经签收了，还能退吗"),
    ("price_protection", "刚买完的话价保怎么算"),
])
def test_a_supposed_case_is_the_condition_of_a_rule_question_not_the_customers_order(intent, text):
    assert route(_state(intent=intent, text=text)) == "retrieve"


@pytest.mark.parametrize("intent, text", [("urge_shipment", "还没发货吗"), ("refund_status", "钱还没退吗")])
def test_the_state_of_ones_own_order_still_goes_to_the_action(intent, text):
    assert route(_state(intent=intent, text=text)) == "act"


def test_a_value_names_the_task_only_for_a_task_that_takes_it():
    gold = [{"type": "sku_attr", "value": "gold", "start": 6, "end": 10}]
    member = "I'm a gold member, how many days of price protection do I get?"
    assert route(_state(intent="price_protection", text=member, entities=gold)) == "retrieve"
    colour = [{"type": "sku_attr", "value": "金色", "start": 3, "end": 5}]
    assert route(_state(intent="exchange_request", text="能换成金色吗", entities=colour)) == "act"


def _angry(intensity: float) -> list[dict]:
    return [{"label": "angry", "intensity": intensity, "turn": 1}]


def test_an_angry_question_about_how_complaints_are_handled_is_answered_not_handed_off():
    settings = Settings()
    how = _state(intent="complaint", text="吃了你们东西拉肚子了 这种投诉你们怎么处理", emotion_history=_angry(0.95))
    assert escalation.before_answer(how, settings) is None
    assert escalation.after_answer(how, 0, settings) is None
    fury = _state(intent="complaint", text="吃了你们东西拉肚子了，你们必须给我处理！", emotion_history=_angry(0.95))
    assert escalation.before_answer(fury, settings) == "high_anger"
    wants = _state(intent="complaint", text="我要投诉，吃了拉肚子，你们怎么处理", emotion_history=_angry(0.95))
    assert escalation.before_answer(wants, settings) == "high_anger"  # a request for their own case


def test_asking_how_a_complaint_is_handled_while_angry_opens_no_ticket(talk):
    turn = talk("吃了你们的东西拉肚子了，气死了！这种投诉你们一般怎么处理")
    assert not turn["handoff"]["active"] and not turn["handoff"].get("ticket_id"), turn["reply"]
    assert turn["citations"], turn["reply"]



def test_an_unsure_topic_with_no_rule_on_it_never_gets_a_bare_which_order():
    from graph.nodes.respond import _off_topic_reply

    choice = {"order_id": "375926903408", "item": "羽绒服", "status": "paid", "total": "408.0"}
    state = _state(intent="invoice", text="寄台湾可以吗", choices=[choice], emotion_history=[], turn=1)
    sure = _off_topic_reply({**state, "ask": False}, "zh", "")
    assert "375926903408" in sure["text"] and not sure["no_offer"]  # the topic's task needs the order
    unsure = _off_topic_reply({**state, "ask": True}, "zh", "")  # invoice was only a guess
    assert unsure["text"] == wording.phrase("move", "off_topic", "zh")  # what kefu can do, and a person
    assert unsure["no_offer"] and unsure["offer"] == {"kind": "transfer", "turn": 1}


@pytest.mark.parametrize("text", ["等了多久了你们知道吗？！", "你们说怎么办！！", "这什么破东西，吃了拉肚子，退钱！"])
def test_an_angry_complaint_that_only_vents_is_still_handed_off(text):
    fury = _state(intent="complaint", text=text, emotion_history=_angry(0.95))
    assert escalation.before_answer(fury, Settings()) == "high_anger"


def test_a_rule_question_with_two_action_readings_is_answered_not_asked_back():
    from graph.nodes.dst import _rule_question

    assert _rule_question("签收25天了用着过敏 还能申请不", {"return_request", "urge_shipment"})
    assert _rule_question("指定顺丰的话要加多少钱", {"modify_order", "logistics_tracking"})
    assert not _rule_question("鞋子码数不对 挤脚", {"exchange_request", "return_request"})  # a situation, no question
    assert not _rule_question("帮我退货", {"return_request", "urge_shipment"})
