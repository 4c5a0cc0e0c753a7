"""Issue 21, classes the shop-owner judges found on replayed conversations: the order a customer gives after a
rule answer (by its number or by the item's name) is looked up instead of the rule said again or "that is all I
can find", and a customer reporting back on a problem ("快递柜我看了没有") gets the next concrete step instead of
the same rule. Scripted conversations asserting the state and reply after each turn."""

from __future__ import annotations

from typing import Any

NOTHING_MORE = "能查到的就是刚才说的这些"


def _state(turn: dict[str, Any]) -> dict[str, Any]:
    return dict(turn.get("state") or {})


def test_an_order_number_after_a_rule_answer_is_looked_up(talk, cases):
    order = cases["price_drop"]  # 降噪蓝牙耳机, signed for

    first = talk("显示签收了 我没收到啊")
    assert _state(first)["active_intent"] == "delivery_problem"
    assert "签收" in first["reply"]

    given = talk(order)
    assert given["intent"] == "order_status" and _state(given)["slots"]["order_id"] == order
    assert order in given["reply"] and "已签收" in given["reply"]
    assert NOTHING_MORE not in given["reply"]

    report = talk("快递柜我看了没有")  # what they did, asking nothing: the next step, not the rule again
    assert "快递公司核查" in report["reply"] and "先确认是否由家人" not in report["reply"]
    assert _state(report)["pending_question"]["kind"] == "transfer"

    taken = talk("好的")  # the offer accepted: a person is brought in
    assert taken["handoff"]["active"] is True


def test_an_unknown_order_number_after_a_rule_answer_is_said_plainly(talk):
    talk("退货运费谁出")
    given = talk("999999999999")
    assert given["intent"] == "order_status"
    assert "没有在您的账户下找到这个订单" in given["reply"]
    assert "告诉我买的是什么商品" in given["reply"]  # another way to name it
    assert NOTHING_MORE not in given["reply"] and "退货运费" not in given["reply"]


def test_the_item_named_on_a_product_problem_finds_its_order(talk, cases):
    asked = talk("耳机左边没声音")
    assert _state(asked)["dialogue_act"] == "clarify"

    named = talk("就是那个蓝牙耳机 买了一周")  # names the item, picks neither reading: its order is shown
    assert named["intent"] == "order_status" and _state(named)["slots"]["order_id"] == cases["price_drop"]
    assert cases["price_drop"] in named["reply"] and "降噪蓝牙耳机" in named["reply"]
    assert "我记下了" not in named["reply"]


def test_a_question_about_the_item_is_no_order_lookup(talk):
    talk("耳机左边没声音")
    asked = talk("就是那个蓝牙耳机 防水吗")  # a question of its own, not the answer "which order"
    assert asked["intent"] != "order_status"


def test_an_order_number_while_a_task_waits_for_it_stays_with_the_task(talk, cases):
    talk("我要退货")
    given = talk(cases["price_drop"])
    state = _state(given)
    assert state["active_intent"] == "return_request" and state["slots"]["order_id"] == cases["price_drop"]


def test_an_english_report_back_gets_the_next_step(talk):
    talk("the tracking says delivered but I never received it")
    report = talk("I checked with neighbours and the front desk")
    assert "carrier" in report["reply"] and "never received" not in report["reply"]
    assert "anything more on this myself" not in report["reply"]


def test_a_rule_gets_the_opening_but_no_promise_of_a_conclusion(talk):
    from graph.reply.tone import tone_opening

    rising = {"label": "angry", "intensity": 0.8}
    assert tone_opening(rising, "zh", content="rule") == "非常抱歉给您带来这么糟糕的体验。"
    assert tone_opening(rising, "en", content="rule") == "I'm very sorry for this experience."
    assert tone_opening({"label": "positive", "intensity": 0.6}, "zh", content="rule") == "很高兴为您服务！"

    turn = talk("气死了！！显示签收了我根本没收到！！")  # a rule answer to an angry customer
    assert turn["citations"], "answered from the policies"
    for promise in ("我马上帮您处理", "我这就给您一个明确的答复", "我直接告诉您结论", "我马上帮您确认"):
        assert promise not in turn["reply"]
