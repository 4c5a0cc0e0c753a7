"""Quick replies and order cards: what a shopper taps sends a message the bot understands as intended,
in Chinese and in English."""

from __future__ import annotations


def _texts(turn) -> dict[str, str]:
    return {q["label"]: q["text"] for q in turn["quick_replies"]}


def test_a_proposal_offers_confirm_and_decline_and_both_work(talk, cases, store):
    paid = cases["paid"]
    proposal = talk(f"帮我取消订单{paid}", session="q-zh")
    assert list(_texts(proposal)) == ["确认", "不用了"]
    declined = talk(_texts(proposal)["不用了"], session="q-zh")
    assert declined["actions"][0]["status"] == "cancelled" and store.get_order(paid)["status"] == "paid"
    again = talk(f"还是取消订单{paid}吧", session="q-zh")
    done = talk(_texts(again)["确认"], session="q-zh")
    assert done["actions"][0]["status"] == "done" and store.get_order(paid)["status"] == "cancelled"
    assert done["quick_replies"] == []


def test_english_buttons_speak_english_and_are_understood(talk, cases, store):
    paid = cases["paid"]
    proposal = talk(f"please cancel order {paid}", session="q-en")
    assert list(_texts(proposal)) == ["Confirm", "No, cancel"]
    done = talk(_texts(proposal)["Confirm"], session="q-en")
    assert done["actions"][0]["status"] == "done" and store.get_order(paid)["status"] == "cancelled"


def test_an_offer_to_transfer_is_answered_by_a_tap_and_a_waiting_shopper_can_withdraw(talk):
    lost = talk("你们家的猫叫什么名字", session="q-human")
    if lost["state"]["pending_question"] is None:  # kefu did not offer a person itself: the button asks for one
        assert not lost["state"]["resolved"] and list(_texts(lost)) == ["转人工"]
        lost = talk("还是不明白", session="q-human")
    assert lost["state"]["pending_question"]["kind"] == "transfer"
    assert list(_texts(lost)) == ["好的，转人工", "不用了"]
    declined = talk(_texts(lost)["不用了"], session="q-human")
    assert declined["state"]["dialogue_act"] == "declined_offer" and declined["handoff"]["active"] is False

    offered = talk("你们家的猫叫什么名字", session="q-human-2")
    offered = offered if offered["state"]["pending_question"] else talk("还是不明白", session="q-human-2")
    waiting = talk(_texts(offered)["好的，转人工"], session="q-human-2")
    assert waiting["handoff"]["active"] and waiting["handoff"]["reason"] == "explicit_request"
    assert list(_texts(waiting)) == ["不用人工了"]
    back = talk(_texts(waiting)["不用人工了"], session="q-human-2")
    assert back["handoff"]["active"] is False


def test_an_unhelped_shopper_without_an_offer_gets_a_button_for_a_person():
    from graph.reply.quick import quick_replies

    state = {"language": "zh", "resolved": False, "handoff": {"active": False}, "choices": []}
    assert quick_replies(state) == [{"label": "转人工", "text": "转人工"}]
    assert quick_replies({**state, "language": "en"}) == [{"label": "Talk to an agent", "text": "talk to an agent"}]
    assert quick_replies({**state, "resolved": True}) == []


def test_order_cards_carry_what_a_shopper_needs_and_a_tap_answers_the_question(talk, store):
    turn = talk("我的快递到哪了", session="q-cards")
    assert turn["quick_replies"] == [] and len(turn["choices"]) >= 2
    card = turn["choices"][0]
    order = store.get_order(card["order_id"])
    assert card["title"].startswith(order["items"][0]["name"]) and card["amount"] == f"¥{order['total']:.2f}"
    assert card["status_name"] and card["order_id"] not in turn["page_reply"] and card["order_id"] in turn["reply"]
    tapped = talk(card["send"], session="q-cards")
    assert tapped["state"]["slots"]["order_id"] == card["order_id"]
    assert tapped["actions"][0]["name"] == "action_track_logistics" and tapped["choices"] == []


def test_the_readings_of_a_clarifying_question_are_buttons_that_pick_one(talk):
    ask = talk("鞋子码数不对 挤脚", session="q-clarify")
    assert ask["state"]["dialogue_act"] == "clarify" and ask["quick_replies"] == []
    assert [c["send"] for c in ask["choices"]] == [c["label"] for c in ask["choices"]] == ["换尺码/颜色", "申请退货"]
    picked = talk(ask["choices"][0]["send"], session="q-clarify")
    assert picked["intent"] == "exchange_request"
