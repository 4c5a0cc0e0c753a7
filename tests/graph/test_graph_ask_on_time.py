"""Issue 21, class (f): the order is never asked for a third time without a person brought in. An order number
given in answer to kefu's offer to act ("如需为您办理…，告诉我是哪一笔订单即可") that is not found makes the
offer count as an ask; the "我们继续刚才的…：请问是哪一笔订单？" said when a task resumes counts too, and once
the order was asked for twice the resumed task offers a person instead of asking again. Scripted, state and
reply after each turn."""

from __future__ import annotations

UNKNOWN = "318061938427"


def _asked(turn) -> int:
    return int((dict(turn["state"]).get("asked") or {}).get("order_id", 0))


def test_an_unknown_number_given_to_the_offer_counts_the_offer_and_the_resume_offers_a_person(talk):
    rule = talk("东西已经发了 但是我下周不在那个地址了 能改吗")
    assert "告诉我是哪一笔订单" in rule["reply"] and rule["handoff"]["active"] is False
    unknown = talk("单号JD0128834571903")
    assert "没有找到" in unknown["reply"]
    assert _asked(unknown) == 2  # the offer, then the "not found, which order?"
    question = talk("转寄要钱吗")
    assert "请问是哪一笔订单" not in question["reply"]  # no third ask
    assert dict(question["state"])["pending_question"]["kind"] == "transfer"
    assert question["reply"].count("回复“好的”") == 1  # one offer of a person, not two stacked
    taken = talk("好的")
    assert taken["handoff"]["active"] is True


def test_the_resumed_ask_counts_so_the_next_ask_hands_off(talk):
    first = talk("where is my package. this is ridiculous")
    assert _asked(first) == 1 and first["handoff"]["active"] is False
    second = talk(f"I already gave the order number to your colleague yesterday. {UNKNOWN}")
    assert _asked(second) == 2 and second["handoff"]["active"] is False
    third = talk("They told me it would be delivered today. It's 9pm.")
    assert "Which order is it?" not in third["reply"]
    assert third["handoff"]["active"] or dict(third["state"])["pending_question"]["kind"] == "transfer"
    assert third["reply"].isascii()


def test_a_found_order_given_to_the_offer_is_no_ask(talk, cases):
    rule = talk("东西已经发了 但是我下周不在那个地址了 能改吗")
    assert "告诉我是哪一笔订单" in rule["reply"]
    before = _asked(rule)
    given = talk(cases["shipped"])
    assert "没有找到" not in given["reply"] and "已发货" in given["reply"]
    assert _asked(given) == before  # the order was found: the offer is not counted as an ask afterwards


def test_a_resumed_task_asked_twice_offers_a_person_instead_of_a_third_ask(talk):
    rule = talk("发票抬头开错了 能重开吗")
    assert "告诉我是哪一笔订单" in rule["reply"]
    unknown = talk("写成个人了 应该是单位的 订单318560932147")
    assert "没有找到订单318560932147" in unknown["reply"] and _asked(unknown) == 2
    details = talk("单位：南昌市东湖区明德小学 税号12360102491837265Q")
    assert "订单一直没能对上" in details["reply"] and "请问是哪一笔订单" not in details["reply"]
    assert dict(details["state"])["pending_question"]["kind"] == "transfer"
    assert talk("好的")["handoff"]["active"] is True
