"""Issue 21, class (a): the opener fits the content and the mood. A mildly upset customer (often a plain
complaint, "收到的草莓烂了一半") hears the rule first and then one concrete way on (the order number, or the
delivery phone's last four digits), not a stock "如需我直接为您办理" in front of it; a really angry one still
gets the next step first; when kefu lists the customer's orders to act on, the generic ask is left out.
Scripted, state and reply after each turn."""

from __future__ import annotations

from graph.reply.policy import compose_policy_answer
from graph.reply.wording import phrase


def test_mild_upset_gets_the_answer_first_and_strong_anger_the_next_step_first():
    passages = [{"policy_id": "return_shipping", "version": 1, "title": "退货运费由谁承担", "score": 0.8,
                 "text": "因质量问题、发错货、商品破损退货的，寄回运费由本店承担。七天无理由退货的，寄回运费由买家承担。"}]
    ask = phrase("policy", "next_step", "zh")
    mild = compose_policy_answer("退货运费谁出", passages, language="zh",
                                 emotion={"label": "angry", "intensity": 0.4}, intent="return_policy")["text"]
    strong = compose_policy_answer("退货运费到底谁出！", passages, language="zh",
                                   emotion={"label": "angry", "intensity": 0.9}, intent="return_policy")["text"]
    assert mild.endswith(ask) and not mild.startswith(ask)
    assert strong.startswith(ask)
    assert "手机号后四位" in ask


def test_a_plain_complaint_reads_rule_then_way_on(talk):
    first = talk("收到的草莓烂了一半")
    reply = first["reply"]
    assert "如需我直接为您办理" not in reply
    assert first["handoff"]["active"] is False
    assert "根据《" in reply and "把订单号发给我" in reply
    assert reply.index("根据《") < reply.index("把订单号发给我")


def test_an_offer_listing_the_orders_drops_the_generic_ask(talk):
    first = talk("请问 我买的面霜开会员之后便宜30 我买的时候不是会员 能补差价吗")
    reply = first["reply"]
    assert not ("告诉我是哪一笔订单" in reply and "把订单号发给我" in reply)
