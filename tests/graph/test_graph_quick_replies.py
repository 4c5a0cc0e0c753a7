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


def test_a_waiting_shopper_can_withdraw_and_an_unhelped_one_can_ask_for_a_person(talk):
    lost = talk("你们家的猫叫什么名字", session="q-human")
    assert not lost["state"]["resolved"] and list(_texts(lost)) == ["转人工"]
    waiting = talk(_texts(lost)["转人工"], session="q-human")
    assert waiting["handoff"]["active"] and waiting["handoff"]["reason"] == "explicit_request"
    assert list(_texts(waiting)) == ["不用人工了"]
    back = talk(_texts(waiting)["不用人工了"], session="q-human")
    assert back["handoff"]["active"] is False


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
