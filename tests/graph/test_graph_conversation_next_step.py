"""Issue 21, the classes left after the first pass over the shop owner's ratings: a push on a topic whose facts
were given gets the next step (who checks with whom, by when), a product named in answer to kefu's order
question is looked up, a ticket says when a person answers (from the settings), a hazard gets "stop using it"
first, a correction drops the wrong order, and a thanks after the ticket gets a closing. Scripted
conversations asserting the state and the reply after each turn, and the pieces they rest on."""

from __future__ import annotations

import pytest

from graph import escalation
from graph.reply import wording

WHEN = "人工客服服务时间为每天9:00-22:00"


def test_a_push_after_the_rule_was_given_gets_the_next_step_not_the_rule_again(talk):
    rule = talk("快递说放门口了 门口啥也没有")
    assert "《显示签收但未收到货》" in rule["reply"]
    days = talk("都三天了")  # the facts were given: what kefu can do next, with when a person answers
    assert days["state"]["follow_up"] == "elapsed"
    assert "《" not in days["reply"] and "联系快递公司核查" in days["reply"] and WHEN in days["reply"]
    assert days["state"]["pending_question"]["kind"] == "transfer"
    yes = talk("好的")  # the offer is taken up: a ticket, with when a person calls back
    assert yes["handoff"]["active"] is True and WHEN in yes["reply"]
    again = talk("多久给我回复")  # pushing on the open ticket: it has the message, and when is said again
    assert again["handoff"]["active"] is True
    assert "补充到回电工单" in again["reply"] and WHEN in again["reply"] and "没太明白" not in again["reply"]
    more = talk("？？？")  # never the same reply twice in a row
    assert more["reply"] != again["reply"]
    thanks = talk("谢谢")  # a closing, not "an agent will contact you" again
    assert "客服上线后" not in thanks["reply"] and "不客气" in thanks["reply"]


def test_a_product_named_in_answer_to_the_order_question_is_looked_up(talk):
    talk("快递说放门口了 门口啥也没有")  # the policy answer asks for the order
    none = talk("就是那个投影仪 挺贵的")  # no order holds it: said plainly, and the order asked for
    assert none["state"]["active_intent"] == "order_status"
    assert "没有找到「投影仪」相关的订单" in none["reply"] and "店铺规定" not in none["reply"]
    assert none["state"]["awaiting_slot"] == "order_id"
    found = talk("智能手环")  # one does: its status
    assert "368867462071" in found["reply"] or "智能手环" in found["reply"]
    assert found["state"]["awaiting_slot"] is None and found["state"]["slots"].get("order_id")


def test_a_late_product_is_about_the_customers_order(talk):
    late = talk("我买的空气炸锅咋还没到")
    assert late["state"]["active_intent"] == "logistics_tracking"
    assert "没有找到「空气炸锅」相关的订单" in late["reply"] and "人工客服帮您核实" not in late["reply"]


def test_a_correction_drops_the_order_shown_and_asks_for_the_other(talk):
    talk("我的快递到哪了")
    shown = talk("智能手环")
    first = shown["state"]["slots"]["order_id"]
    assert first in shown["reply"]
    other = talk("不是这单，是另一个")
    assert other["state"]["dialogue_act"] == "correction"
    assert "order_id" not in other["state"]["slots"] and "product" not in other["state"]["slots"]
    assert other["state"]["awaiting_slot"] == "order_id" and "哪一笔订单" in other["reply"]
    assert "刚才说的这些" not in other["reply"]
    taken = talk("羽绒服")  # the other one is taken
    assert taken["state"]["slots"]["order_id"] != first and taken["state"]["slots"]["order_id"] in taken["reply"]


def test_a_hazard_gets_stop_using_it_first(talk):
    swollen = talk("买的电动车电池鼓包了")
    assert swollen["reply"].startswith(wording.phrase("move", "safety_first", "zh"))
    fire = talk("差点着火")  # not "I did not understand": stop using it, and a person offered
    assert fire["reply"].startswith(wording.phrase("move", "safety_first", "zh"))
    assert "没太明白" not in fire["reply"] and fire["state"]["pending_question"]["kind"] == "transfer"


def test_an_explicit_handoff_says_when_a_person_answers(talk):
    ticket = talk("转人工")
    assert ticket["handoff"]["active"] is True and WHEN in ticket["reply"] and "2小时内" in ticket["reply"]


def test_the_callback_time_comes_from_the_settings_only():
    class Shop:
        agent_hours, callback_within_hours = "8:30-20:00", 4

    assert "8:30-20:00" in wording.callback_time(Shop(), "zh") and "4小时" in wording.callback_time(Shop(), "zh")
    assert "within 4 hours" in wording.callback_time(Shop(), "en")
    assert wording.callback_time(None, "zh") == ""  # no settings: no time made up
    notice = wording.handoff_notice({"status": "callback", "ticket_id": 7}, "zh")
    assert "工单号 7" in notice and "小时内" not in notice


@pytest.mark.parametrize("text", ["差点着火", "充电器冒烟了", "有股焦味", "孩子吃了一颗", "电池鼓包了",
                                  "it started smoking", "my son swallowed a piece", "there's a burning smell"])
def test_hazards_are_recognised(text):
    assert escalation.hazard(text)


@pytest.mark.parametrize("text", ["烧烤架多少钱", "这个火锅好吃吗", "空气炸锅什么时候到", "怎么还没到", "smoke grey colour?",
                                  "猫都没得吃了 快点好吗"])
def test_ordinary_messages_are_not_hazards(text):
    assert not escalation.hazard(text)


def test_you_too_after_a_ticket_is_a_goodbye(talk):
    talk("I want to talk to a human")
    bye = talk("thanks, you too")
    assert "contact you" not in bye["reply"]


def test_a_product_told_on_a_delivery_topic_is_looked_up_and_a_question_is_not_a_no(talk):
    talk("签收了没收到")  # a delivery rule, no order asked for yet
    milk = talk("奶粉 两罐 很急 孩子要喝")  # what they bought, urgently: their orders, not "no rule"
    assert milk["state"]["active_intent"] == "order_status"
    assert "没有找到「奶粉」相关的订单" in milk["reply"] and "店铺规定" not in milk["reply"]
    talk("转人工")
    again = talk("先给我补发行不行")  # a question, not a "no" to anything: answered, the ticket stays
    assert "那先不转人工" not in again["reply"] and again["handoff"]["active"] is True


def test_a_threat_while_the_ticket_waits_is_told_when_the_call_comes(talk):
    talk("页面写的纯棉 标签上是涤纶")
    ticket = talk("转人工")
    assert ticket["handoff"]["active"] is True
    threat = talk("不赔我就去12315")
    assert threat["reply"].count("9:00-22:00") == 1  # from the settings, or the service-hours rule: once


@pytest.mark.parametrize("text", ["先给我补发行不行", "能不能快点", "退不退"])
def test_a_question_is_not_a_no_to_kefus_offer(text):
    from graph import continuity

    assert not continuity.says_no(text)
    assert continuity.says_no("不用了") and continuity.says_no("算了")


def test_the_call_time_is_added_once_for_an_upset_customer_on_a_waiting_ticket():
    from graph.reply.next_step import with_time

    class Shop:
        agent_hours, callback_within_hours = "9:00-22:00", 2

    waiting = {"text": "不赔我就去12315", "handoff": {"active": True, "status": "callback", "ticket_id": 3}}
    told = with_time(waiting, {"text": "已经补充到工单里。"}, "zh", Shop())["text"]
    assert told.startswith("已经补充到工单里。") and "2小时内" in told
    assert with_time(waiting, {"text": "人工客服服务时间为每天9:00-22:00。"}, "zh", Shop())["text"].count("9:00") == 1
    calm = {**waiting, "text": "好的"}
    assert with_time(calm, {"text": "好的。"}, "zh", Shop())["text"] == "好的。"
    no_ticket = {**waiting, "handoff": {"active": False}}
    assert with_time(no_ticket, {"text": "x"}, "zh", Shop())["text"] == "x"
