"""Issue 21, the classes a shop owner's reading found: a policy list quoted without its lead cut off, "nothing
has changed" after a reply that said nothing or to a goodbye, "OK, anything else?" to a fact, and the answer
to kefu's own question read on its own. Scripted conversations asserting the state and reply of each turn."""

from __future__ import annotations

from typing import Any

from graph.generation.cases import Pick
from graph.reply import moves
from graph.reply.policy import _pick_text, compose_policy_answer


def _state(text: str, **extra: Any) -> Any:
    return {"text": text, "turn": 3, "messages": [], **extra}


SIGNED = """物流显示已签收但您没有收到包裹时：

1. 先确认是否由家人、同事、门卫、快递柜或驿站代收。
2. 仍然找不到的，请在物流显示签收后48小时内联系客服报告。
3. 本店会在3个工作日内与快递公司核查，核实未收到的，为您重新发货或全额退款。

超过签收后48小时报告的，本店仍会协助向快递公司查询，但不保证补发或退款。
"""
REFUND = "退货订单在仓库收到退货并验货（到货后48小时内完成）后发起退款，各支付方式到账时间如下："


def _policy(question: str, text: str) -> str:
    passages = [{"policy_id": "p", "version": 1, "title": "显示签收但未收到货", "score": 0.8, "text": text}]
    return str(compose_policy_answer(question, passages, language="zh", emotion=None, intent=None)["text"])


def test_a_list_lead_is_quoted_with_its_cases():
    reply = _policy("显示签收了但我没收到", SIGNED)
    assert "：。" not in reply
    assert "48小时内联系客服报告" in reply and "3个工作日" in reply  # the list the lead introduces


def test_a_lead_whose_list_is_not_quoted_is_left_out():
    reply = _pick_text(Pick(0, "", [REFUND], [REFUND], 1.0), "zh")
    assert reply == "退货订单在仓库收到退货并验货（到货后48小时内完成）后发起退款。"
    assert _pick_text(Pick(0, "", ["各支付方式到账时间如下："], [], 1.0), "zh") == ""


def test_asking_again_is_not_told_nothing_has_changed(talk):
    first = talk("退货运费谁出")
    again = talk("退货运费谁出")
    assert "没有新的变化" not in again["reply"]
    assert "能查到的就是刚才说的这些" in again["reply"] or "刚才的答复里已经说到" in again["reply"]
    assert again["state"]["pending_question"]["kind"] == "transfer"
    assert again["reply"] != first["reply"]


def test_a_goodbye_is_never_answered_with_the_same_again():
    text, offer = moves.same_again(_state("好的 拜拜", route="respond"), "zh")
    assert "再见" in text or "购物愉快" in text
    assert "没有新的变化" not in text and offer is None
    text, offer = moves.same_again(_state("thanks, bye", route="respond"), "en")
    assert "nothing has changed" not in text.lower() and offer is None


def test_nothing_has_changed_only_for_a_progress_check_on_an_order():
    check = _state("都三天了", route="act", follow_up="elapsed")
    assert "没有新的变化" in moves.same_again(check, "zh")[0]
    question = _state("给我个准话", route="retrieve")
    text, offer = moves.same_again(question, "zh")
    assert "没有新的变化" not in text and "没有更具体的信息" in text
    assert offer is not None and offer["kind"] == "transfer"
    handed = _state("给我个准话", route="respond", handoff={"active": True})
    text, offer = moves.same_again(handed, "zh")
    assert "人工工单" in text and offer is None


def test_a_fact_is_not_met_with_anything_else(talk):
    talk("退货运费谁出")
    fact = talk("盒子是完好的")
    assert fact["state"]["dialogue_act"] == "acknowledge"
    assert "还有其他需要帮忙的" not in fact["reply"]
    assert "我记下了" in fact["reply"] and fact["handoff"]["active"] is False
    ack = talk("好吧")  # only taking note: the short acknowledgement
    assert ack["state"]["dialogue_act"] == "acknowledge" and "我记下了" not in ack["reply"]


def test_a_product_named_in_answer_to_the_order_ask_is_looked_up(talk):
    ask = talk("I want to cancel my order")
    assert ask["state"]["awaiting_slot"] == "order_id"
    answer = talk("the phone case I bought an hour ago")
    assert answer["state"]["active_intent"] == "cancel_order"
    assert answer["state"]["dialogue_act"] != "acknowledge"
    assert "phone case" in answer["reply"]  # said plainly that no order has it
    assert "anything else" not in answer["reply"].lower()
    assert answer["state"]["language"] == "en"


def test_a_second_thanks_gets_a_goodbye_not_the_same_words():
    said = moves.same_again(_state("thanks"), "en")[0]
    again = _state("thanks again", messages=[{"role": "assistant", "turn": 2, "content": said}])
    text, offer = moves.same_again(again, "en")
    assert text != said and offer is None and "nothing has changed" not in text.lower()



def test_short_english_acknowledgements_and_sign_offs_stay_short(talk):
    talk("who pays the return shipping")
    for text in ("perfect!", "No problem", "Oh okay"):
        turn = talk(text)
        assert turn["state"]["dialogue_act"] == "acknowledge", text
        assert "Noted" not in turn["reply"] and turn["handoff"]["active"] is False
    done = talk("That's it. Take care.")
    assert "Noted" not in done["reply"] and done["handoff"]["active"] is False
