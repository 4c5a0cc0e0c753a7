"""Issue 21, one scripted conversation per class: the state and the reply after each turn.

Asking is not resolving (rephrase, then a human), follow-ups keep the topic, kefu's own offers and
questions are answered by a short yes/no/choice, a callback ticket does not silence the bot, openers fit
the reply, escalation words count, and the same reply never comes twice in a row.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.handoff import HandoffQueue


def _norm(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def test_asking_for_the_order_is_rephrased_then_handed_to_a_human(talk):
    first = talk("我的快递到哪了")
    assert first["actions"][0]["status"] == "need_slot"
    assert first["state"]["asked"] == {"order_id": 1}
    assert first["state"]["unresolved_turns"] == 1  # only asking is not progress
    assert "请问是哪一笔订单" in first["reply"]

    second = talk("我的蜂蜜呢")  # a product in none of the shopper's orders
    assert second["state"]["asked"] == {"order_id": 2}
    assert "没有找到「蜂蜜」相关的订单" in second["reply"]
    assert "没有订单号也可以" in second["reply"] and "后四位" in second["reply"]  # why, and how to answer
    assert _norm(second["reply"]) != _norm(first["reply"])
    assert second["handoff"]["active"] is False

    third = talk("没有订单号")
    assert third["state"]["asked"]["order_id"] == 3
    assert third["handoff"]["active"] is True and third["handoff"]["reason"] == "unresolved_turns"
    assert "还是没能确定订单号" in third["reply"] and "请问是哪一笔订单" not in third["reply"]

    later = talk("那大概几天能到")  # the order ask is exhausted: the topic's policy answers, no fourth ask
    assert later["citations"] and later["actions"] == []
    assert "请问是哪一笔订单" not in later["reply"]


def test_a_named_product_in_one_order_picks_that_order(talk, cases):
    turn = talk("我的保温杯到哪了")
    assert turn["actions"][0]["status"] == "done"
    assert turn["state"]["slots"]["order_id"] == cases["price_drop"]  # 降噪蓝牙耳机 + 不锈钢保温杯
    assert cases["price_drop"] in turn["reply"]
    assert turn["state"]["asked"] == {}


def test_follow_ups_continue_the_topic_with_its_slots(talk, cases):
    shipped = cases["shipped"]
    first = talk(f"订单{shipped}到哪了")
    assert first["state"]["active_intent"] == "logistics_tracking"
    assert first["actions"][0]["status"] == "done"

    elapsed = talk("都三天了")  # NLU alone reads this as a greeting
    assert elapsed["state"]["follow_up"] == "elapsed"
    assert elapsed["state"]["active_intent"] == "logistics_tracking"
    assert elapsed["state"]["slots"]["order_id"] == shipped
    assert elapsed["citations"], "the next step comes from the delivery policy"
    assert "您好，我是智能客服" not in elapsed["reply"] and "请告诉我订单号" not in elapsed["reply"]

    then = talk("然后呢")
    assert then["state"]["follow_up"] == "then_what"
    assert then["state"]["slots"]["order_id"] == shipped
    assert _norm(then["reply"]) != _norm(elapsed["reply"])
    assert "人工客服" in then["reply"] and then["state"]["pending_question"]["kind"] == "transfer"

    where = talk("到哪了")  # the topic's own question again: its action answers it
    assert where["actions"][0]["status"] == "done"
    assert where["actions"][0]["args"]["order_id"] == shipped


def test_kefus_transfer_offer_is_accepted_by_a_short_yes(talk):
    talk("退货运费谁出")
    again = talk("退货运费谁出")
    assert "刚才的答复里已经说到" in again["reply"] and "本店承担" in again["reply"]  # the answering part, quoted
    assert again["state"]["pending_question"]["kind"] == "transfer"
    yes = talk("嗯")
    assert yes["handoff"]["active"] is True and yes["handoff"]["reason"] == "explicit_request"
    assert "没有需要您确认" not in yes["reply"]


def test_declining_kefus_offer_is_acknowledged(talk):
    offer = talk("那个谁说的那个东西呢")  # nothing to read: kefu offers a person
    assert offer["state"]["pending_question"]["kind"] == "transfer"
    no = talk("不用了")
    assert no["state"]["dialogue_act"] == "declined_offer"
    assert no["handoff"]["active"] is False
    assert "先不转人工" in no["reply"]
    assert no["state"]["pending_question"] is None
    ack = talk("嗯")  # nothing is pending now: an acknowledgement, not "nothing to confirm"
    assert ack["state"]["dialogue_act"] == "acknowledge"
    assert "没有需要您确认" not in ack["reply"] and ack["handoff"]["active"] is False


def _unsure(monkeypatch: pytest.MonkeyPatch, text: str, first: str, second: str) -> None:
    """The NLU reads `text` as two close intents and says so (issue 15's `candidates`/`ask`)."""
    from graph.nodes import nlu as nlu_node

    real = nlu_node.analyze_remembered

    def analyze(model: Any, message: str) -> dict[str, Any]:
        result = real(model, message)
        if message == text:
            result = {**result, "intent": first, "confidence": 0.41, "ask": True,
                      "candidates": [{"intent": first, "confidence": 0.41}, {"intent": second, "confidence": 0.38}]}
        return result

    monkeypatch.setattr(nlu_node, "analyze_remembered", analyze)


def test_an_unsure_reading_is_asked_about_and_the_choice_is_the_intent(talk, cases, monkeypatch):
    paid = cases["paid"]
    _unsure(monkeypatch, f"订单{paid}不想要了", "cancel_order", "return_request")
    ask = talk(f"订单{paid}不想要了")
    assert ask["state"]["dialogue_act"] == "clarify"
    assert [c["intent"] for c in ask["choices"]] == ["cancel_order", "return_request"]
    assert [c["label"] for c in ask["choices"]] == ["取消订单", "申请退货"]
    assert "取消订单" in ask["reply"] and "申请退货" in ask["reply"]
    assert ask["actions"] == [] and ask["state"]["unresolved_turns"] == 1
    assert ask["state"]["pending_question"]["kind"] == "choice"

    chosen = talk("取消订单")
    assert chosen["intent"] == "cancel_order"
    assert chosen["actions"][0]["status"] == "proposed"
    assert chosen["actions"][0]["args"]["order_id"] == paid  # the slot of the ambiguous message is kept


def test_a_product_problem_without_a_request_is_asked_about(talk):
    size = talk("鞋子码数不对 挤脚")
    assert size["state"]["dialogue_act"] == "clarify"
    assert [c["intent"] for c in size["choices"]] == ["exchange_request", "return_request"]
    picked = talk("换尺码")
    assert picked["intent"] == "exchange_request" and picked["actions"][0]["status"] == "need_slot"
    assert "没有找到「鞋子」相关的订单" in picked["reply"]  # the product named before, in none of the orders

    fault = talk("耳机左边没声音", session="s2")
    assert [c["intent"] for c in fault["choices"]] == ["return_request", "warranty_repair"]
    rule = talk("质量问题多少天内能退？", session="s3")  # a rule question is answered, not asked about
    assert rule["state"]["dialogue_act"] == "request" and rule["citations"] and rule["choices"] == []


def test_two_readings_that_show_the_same_thing_are_not_asked_about(talk, cases, monkeypatch):
    shipped = cases["shipped"]
    _unsure(monkeypatch, f"订单{shipped}", "logistics_tracking", "order_status")
    turn = talk(f"订单{shipped}")
    assert turn["state"]["dialogue_act"] == "request" and turn["choices"] == []
    assert turn["actions"][0]["status"] == "done"


def test_an_unsure_reading_of_a_rule_question_is_answered_from_the_policies(talk, monkeypatch):
    _unsure(monkeypatch, "退货的话上门取件收费吗", "return_request", "return_policy")
    turn = talk("退货的话上门取件收费吗")  # a question one reading answers from the policies: no question back
    assert turn["state"]["dialogue_act"] == "request" and turn["citations"]
    assert turn["state"]["pending_question"] is None or turn["state"]["pending_question"]["kind"] != "choice"
    _unsure(monkeypatch, "不想要了", "cancel_order", "return_request")
    assert talk("不想要了", session="s2")["state"]["dialogue_act"] == "clarify"  # two requests: still asked


def test_every_intent_offered_as_a_quick_reply_is_a_real_intent():
    from graph.intents import REGISTRY
    from graph.reply.wording import section

    for language in ("zh", "en"):
        assert set(section("choice", language)) <= set(REGISTRY), language


def test_a_missing_or_malformed_nlu_reading_never_asks(monkeypatch, talk):
    from graph.nodes import nlu as nlu_node

    assert nlu_node.readings({"intent": "other"}) == ([], False)
    assert nlu_node.readings({"ask": "yes", "candidates": "cancel_order"}) == ([], False)
    assert nlu_node.readings({"ask": True, "candidates": [{"intent": "x", "confidence": "high"}]}) == ([], False)
    assert talk("退货运费谁出")["state"]["dialogue_act"] == "request"


def test_a_callback_ticket_does_not_silence_the_bot(talk, shop):
    opened = talk("转人工")
    assert opened["handoff"]["status"] == "callback"
    ticket_id = opened["handoff"]["ticket_id"]

    answer = talk("退货运费谁出")
    assert answer["citations"], "kefu still answers what it can"
    assert answer["handoff"]["active"] is True and answer["handoff"]["ticket_id"] == ticket_id
    assert "工单" not in answer["reply"]  # the ticket is not mentioned every turn

    again = talk("人呢 转人工")
    assert f"工单号 {ticket_id}" in again["reply"] and "已经在排队" in again["reply"]
    assert again["handoff"]["ticket_id"] == ticket_id

    transcript = [m["content"] for m in HandoffQueue(shop).ticket(ticket_id)["transcript"]]
    assert "退货运费谁出" in transcript and "人呢 转人工" in transcript
    assert any("运费" in m for m in transcript if m != "退货运费谁出")  # kefu's answer is there too


def test_a_queued_ticket_still_relays_to_the_human(talk, shop):
    HandoffQueue(shop).heartbeat("agent1")
    assert talk("转人工")["handoff"]["status"] == "queued"
    waiting = talk("退货运费谁出")
    assert waiting["tier"] == "agent" and waiting["citations"] == []


def test_openers_fit_what_the_reply_does():
    from graph.reply.tone import tone_opening

    angry = {"label": "angry", "intensity": 0.5}
    assert "直接告诉您结论" in tone_opening(angry, "zh", content="answer")
    assert "直接告诉您结论" not in tone_opening(angry, "zh", content="ask")
    assert "抱歉" in tone_opening(angry, "zh", content="ask")
    happy = {"label": "positive", "intensity": 0.6}
    assert tone_opening(happy, "zh", content="answer", intent="complaint") == ""
    assert tone_opening(happy, "zh", content="ack") == ""


def test_an_angry_ask_for_the_order_promises_no_conclusion(talk):
    turn = talk("快递怎么还不到！！太慢了！！")
    assert turn["actions"][0]["status"] == "need_slot"
    assert "直接告诉您结论" not in turn["reply"] and "不会耽误" not in turn["reply"]


@pytest.mark.parametrize("message", ["你们就是骗子", "我去平台投诉你们", "黑店，我要12315"])
def test_fraud_accusations_and_threats_go_to_a_human(talk, message):
    turn = talk(message)
    assert turn["emotion"]["label"] == "angry" and turn["emotion"]["intensity"] >= 0.9
    assert turn["handoff"]["active"] is True and turn["handoff"]["reason"] == "high_anger"
    assert "没有查到明确的店铺规定" not in turn["reply"]


def test_abuse_counts_as_anger(talk):
    turn = talk("垃圾快递")
    assert turn["emotion"]["label"] == "angry" and turn["emotion"]["intensity"] >= 0.8


def test_a_human_guess_without_a_human_word_is_not_a_handoff(talk, monkeypatch):
    from graph.nodes import nlu as nlu_node

    real = nlu_node.analyze_remembered
    monkeypatch.setattr(nlu_node, "analyze_remembered",
                        lambda model, text: {**real(model, text), "intent": "human_agent", "confidence": 0.7})
    turn = talk("盒子是完好的")
    assert turn["handoff"]["active"] is False


def test_the_same_reply_never_comes_twice_in_a_row(talk):
    replies = [talk(text)["reply"] for text in ("在吗", "asdkjh", "qwerty zz", "嗯", "好", "行")]
    assert all(_norm(a) != _norm(b) for a, b in zip(replies, replies[1:], strict=False))


def test_an_order_number_keeps_the_conversation_language(talk):
    talk("我的快递到哪了")
    turn = talk("313027784519")
    assert turn["state"]["language"] == "zh"
    assert "订单" in turn["reply"]
