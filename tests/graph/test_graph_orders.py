"""Scripted multi-turn conversations about orders: slots carry over, writes need confirmation,
identity comes from the session. The outcome is checked in the store, not in the wording."""

from __future__ import annotations

import pytest


def test_order_id_carries_from_turn_one_to_turn_three(talk, cases):
    shipped = cases["shipped"]
    first = talk(f"帮我查下订单{shipped}")
    assert first["state"]["slots"]["order_id"] == shipped
    assert first["actions"][0]["name"] == "action_order_details"
    talk("好的谢谢")
    third = talk("它到哪了")
    assert third["intent"] == "logistics_tracking"
    assert third["actions"][0]["args"]["order_id"] == shipped
    tracking = third["actions"][0]["result"]["tracking_no"]
    assert tracking in third["reply"]
    assert third["tier"] == "front"


def test_cancel_is_proposed_and_runs_only_after_confirmation(talk, cases, store):
    paid = cases["paid"]
    proposal = talk(f"不想要了，帮我取消订单{paid}")
    assert proposal["actions"][0]["status"] == "proposed"
    assert proposal["state"]["pending_action"]["name"] == "action_cancel_order"
    assert store.get_order(paid)["status"] == "paid"  # nothing written yet
    done = talk("确认")
    assert done["actions"][0]["status"] == "done"
    assert store.get_order(paid)["status"] == "cancelled"
    assert done["state"]["pending_action"] is None
    replay = talk("确认")  # a replayed confirmation finds nothing pending
    assert replay["actions"] == []
    assert len(store.action_log(order_id=paid)) == 1


def test_declining_a_proposal_changes_nothing(talk, cases, store):
    paid = cases["paid"]
    talk(f"取消订单{paid}")
    declined = talk("不用了")
    assert declined["actions"][0]["status"] == "cancelled"
    assert store.get_order(paid)["status"] == "paid"
    assert store.action_log(order_id=paid) == []


def test_confirmation_with_nothing_pending_is_refused_clearly(talk):
    turn = talk("确认")
    assert turn["actions"] == []
    assert "没有需要您确认" in turn["reply"]
    assert turn["state"]["unresolved_turns"] == 0


def test_shipped_order_cannot_be_cancelled(talk, cases, store):
    shipped = cases["shipped"]
    turn = talk(f"取消订单{shipped}")
    assert turn["actions"][0]["status"] == "refused"
    assert turn["state"]["pending_action"] is None
    assert store.get_order(shipped)["status"] == "shipped"


def test_another_users_order_is_refused_and_untouched(talk, store, cases):
    others = [o for o in store.list_orders("u00001") if o["status"] in ("paid", "pending_payment", "processing")]
    foreign = others[0]["order_id"] if others else store.list_orders("u00001")[0]["order_id"]
    before = store.get_order(foreign)["status"]
    look = talk(f"帮我查下订单{foreign}")
    assert look["actions"][0]["status"] in ("refused", "not_found")
    assert foreign not in look["reply"] or "没有" in look["reply"]
    cancel = talk(f"取消订单{foreign}")
    assert cancel["actions"][0]["status"] in ("refused", "not_found")
    talk("确认")
    assert store.get_order(foreign)["status"] == before


def test_missing_order_id_is_asked_with_the_customers_orders_as_choices(talk):
    turn = talk("我要退货")
    assert turn["state"]["awaiting_slot"] == "order_id"
    assert turn["actions"][0]["status"] == "need_slot"
    choices = turn["actions"][0]["choices"]
    assert choices and all(c["order_id"] in turn["reply"] for c in choices[:3])


def test_interrupted_return_resumes_after_a_tracking_question(talk, cases, store):
    delivered, shipped = cases["delivered_returnable"], cases["shipped"]
    talk("我想退货")
    proposal = talk(delivered)
    assert proposal["state"]["pending_action"]["name"] == "action_return_request"
    side = talk(f"对了，订单{shipped}到哪了")
    assert side["actions"][0]["name"] == "action_track_logistics"
    assert side["state"]["active_intent"] == "return_request"
    assert side["state"]["slots"]["order_id"] == delivered
    assert side["state"]["pending_action"]["args"]["order_id"] == delivered
    done = talk("确认")
    assert done["actions"][0]["status"] == "done"
    assert store.returns_for(delivered)


def test_correction_by_order_suffix_replaces_the_slot(talk, cases):
    paid, processing = cases["paid"], cases["processing"]
    talk(f"帮我取消订单{paid}")
    fixed = talk(f"不是这个，是尾号{processing[-4:]}那个")
    assert fixed["state"]["slots"]["order_id"] == processing
    assert fixed["state"]["pending_action"]["args"]["order_id"] == processing


def test_two_tabs_confirming_at_once_execute_the_write_once(service, cases, store):
    import threading

    paid = cases["paid"]
    service.run_turn("tabs", "demo", f"取消订单{paid}")
    results: list[dict] = []
    threads = [threading.Thread(target=lambda: results.append(service.run_turn("tabs", "demo", "确认")))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(r["actions"][0]["status"] if r["actions"] else "none" for r in results)
    assert statuses == ["done", "none"]
    assert store.get_order(paid)["status"] == "cancelled"
    assert len(store.action_log(order_id=paid)) == 1


def test_wordy_confirmations_still_confirm(talk, cases, store):
    talk(f"帮我取消订单{cases['paid']}")
    done = talk("是的，确认，谢谢")
    assert done["actions"][0]["status"] == "done"
    assert store.get_order(cases["paid"])["status"] == "cancelled"


def test_a_question_is_not_a_confirmation(talk, cases, store):
    talk(f"帮我取消订单{cases['paid']}")
    asked = talk("确认吗？取消了钱什么时候退")
    assert asked["state"]["pending_action"] is not None or asked["actions"][0]["status"] != "done"
    assert store.get_order(cases["paid"])["status"] == "paid"


def test_an_offered_order_can_be_picked_by_position(talk):
    asked = talk("我要退货")
    offered = [c["order_id"] for c in asked["actions"][0]["choices"]]
    picked = talk("第2个")
    assert picked["state"]["slots"]["order_id"] == offered[1]


def test_invoice_title_given_in_free_words_is_used(talk, cases, store):
    order = cases["delivered_returnable"]
    asked = talk(f"订单{order}帮我开个发票")
    assert asked["state"]["awaiting_slot"] == "invoice_title"
    proposal = talk("抬头写个人")
    assert proposal["state"]["pending_action"]["args"]["invoice_title"] == "个人"
    talk("确认")
    assert store.invoices_for(order)


def test_a_general_question_on_an_order_topic_is_answered_from_policy(talk):
    turn = talk("退款到支付宝一般要多久")
    assert turn["actions"] == []
    assert turn["citations"]
    assert "1-3" in turn["reply"] or "1～3" in turn["reply"] or "1到3" in turn["reply"]


def test_slot_answers_lose_their_labels_and_polite_tails(talk, cases):
    order = cases["delivered_returnable"]
    talk(f"帮我给订单{order}开个发票")
    proposal = talk("抬头写个人，麻烦了")
    assert proposal["state"]["pending_action"]["args"]["invoice_title"] == "个人"


def test_a_malformed_tax_id_is_not_taken_as_one(talk, cases):
    order = cases["delivered_returnable"]
    talk(f"订单{order}开发票")
    talk("抬头是杭州某某科技有限公司")
    turn = talk(f"帮我给订单{order}开个发票")
    assert "tax_id" not in turn["state"]["slots"]


def test_an_english_reply_with_just_the_order_number_continues_the_return(talk, cases):
    talk("I want to return an item")
    turn = talk(f"order number is {cases['delivered_returnable']}")
    assert turn["state"]["pending_action"]["name"] == "action_return_request"
    assert "no-reason" in turn["reply"]


def test_venting_words_are_not_a_quality_claim(talk, cases, store):
    fresh = cases["delivered_fresh"]
    turn = talk(f"你们这什么破服务！订单{fresh}的车厘子我想退货")
    assert turn["actions"][0]["status"] == "refused"
    assert turn["state"]["pending_action"] is None
    talk("确认")
    assert store.returns_for(fresh) == []


def test_a_write_never_picks_an_order_the_customer_did_not_name(service, store):
    user = next(u for u in (f"u{n:05d}" for n in range(1, 21))
                if len([o for o in store.list_orders(u) if o["status"] in ("pending_payment", "paid", "processing")]) == 1)
    turn = service.run_turn("one-order", user, "我要取消订单")
    assert turn["actions"][0]["status"] == "need_slot"
    assert turn["state"]["pending_action"] is None


def test_saying_wrong_to_a_proposal_drops_it(talk, cases, store):
    talk(f"取消订单{cases['paid']}")
    turn = talk("不对 wrong")
    assert turn["state"]["pending_action"] is None
    talk("确认")
    assert store.get_order(cases["paid"])["status"] == "paid"


@pytest.mark.parametrize("no", ["不可以", "不是的", "not ok", "确认？", "可以不取消吗"])
def test_negations_and_questions_never_confirm_a_write(talk, cases, store, no):
    talk(f"取消订单{cases['paid']}")
    talk(no)
    assert store.get_order(cases["paid"])["status"] == "paid"


def test_a_yes_with_a_new_value_proposes_again_with_that_value(talk, cases, store):
    order = cases["processing"]
    talk(f"订单{order}电话改成13912345670")
    again = talk("好的，电话改成13912345678")
    assert again["state"]["pending_action"]["args"]["phone"] == "13912345678"
    talk("确认")
    assert store.get_order(order)["phone"] == "13912345678"


def test_a_denied_quality_problem_is_not_a_quality_claim(talk, cases, store):
    digital = cases["completed_digital"]
    turn = talk(f"订单{digital}我要退货，商品没有质量问题，就是不想要了")
    assert turn["actions"][0]["status"] == "refused"


def test_slots_of_one_order_do_not_leak_into_the_next(talk, cases):
    talk(f"订单{cases['processing']}地址改成北京市朝阳区建国路88号")
    talk("确认")
    turn = talk(f"订单{cases['paid']}电话改成13912345678")
    assert "address" not in turn["state"]["pending_action"]["args"]


@pytest.mark.parametrize("yes", ["确认，别让我多花钱啊", "好的确认！再不处理我就投诉", "conifrm", "是的，确认，赶紧的"])
def test_a_clean_yes_with_extra_words_still_confirms(talk, cases, store, yes):
    talk(f"取消订单{cases['paid']}")
    talk(yes)
    assert store.get_order(cases["paid"])["status"] == "cancelled"


def test_a_yes_followed_by_a_change_of_mind_does_not_confirm(talk, cases, store):
    talk(f"取消订单{cases['paid']}")
    talk("确认，不对，等一下")
    assert store.get_order(cases["paid"])["status"] == "paid"


def test_a_bare_invoice_title_is_an_answer_not_a_call_for_a_human(talk, cases):
    order = cases["delivered_returnable"]
    asked = talk(f"订单{order}帮我开个发票")
    assert asked["state"]["awaiting_slot"] == "invoice_title"
    answer = talk("个人")  # NLU may read 人 as a human-agent request
    assert answer["state"]["pending_action"]["args"]["invoice_title"] == "个人"
    assert not answer["state"]["handoff"]["active"]
    human = talk("转人工")  # an explicit ask still reaches a human
    assert human["intent"] == "human_agent"


def _asked_which_order(offered: list[str], text: str) -> dict:
    from graph.nodes.dst import dst

    state = {"text": text, "awaiting_slot": "order_id", "offered_orders": offered, "active_intent": "urge_shipment",
             "intent": "order_status", "confidence": 0.41, "entities": [], "slots": {}, "messages": []}
    return dst(state)  # type: ignore[arg-type]


def test_confirming_the_one_offered_order_picks_it() -> None:
    update = _asked_which_order(["342788281646"], "确认")
    assert update["slots"] == {"order_id": "342788281646"}
    assert update["dialogue_act"] == "request" and update["intent"] == "urge_shipment"
    two = _asked_which_order(["342788281646", "314221293827"], "确认")  # which one? not a pick
    assert "order_id" not in two["slots"]
