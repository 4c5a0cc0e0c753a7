"""Issue 21, classes (b) and (c): an errand only a person runs, asked outright ("行 那就补发吧", "ok, send me the
label please", "有消息告诉我"), is put on a ticket and the reply says what will be done, instead of an "OK" or a
"noted" that arranges nothing; with a callback ticket open it is added to that ticket, said once. A question
whether the shop does it ("补发要多久", "可以补发吗") is answered, not ticketed. Scripted, state and reply after
each turn."""

from __future__ import annotations

from graph import escalation
from graph.person_tasks import person_task


def test_which_messages_ask_for_an_errand():
    cases = {"行 那就补发吧": "resend", "补发两个就行 不用退": "resend", "那你给我补发": "resend",
             "ok, send me the label please": "label", "能不能帮我催一下快递": "chase", "行 那有消息告诉我": "notify",
             "ok 有update记得通知我 thx": "notify", "ok, please keep me posted": "notify",
             "麻烦给我回个电话": "callback", "call me back please": "callback", "补发吧 能包好一点吗": "resend",
             "It's bulky, can you arrange pickup?": "pickup", "麻烦安排上门取件": "pickup",
             "行 那等师傅电话": "notify", "好 改完给我说一声": "notify",
             "重新发吧 我急用": "resend"}
    for text, task in cases.items():
        assert person_task(text) == task, text
    for text in ("补发要多久", "可以补发吗", "那给我补发吗 还是怎么弄", "那要是丢了给我重新发还是退钱", "补发还是退钱啊 哪个快", "上门取件要钱吗", "补发要多久 我急用", "do you resend missing items?", "不用补发了", "快递员没回电话",
                 "I don't want you to call me", "物流怎么还没动", "我要退货", ""):
        assert person_task(text) is None, text


def test_an_ok_that_asks_for_a_resend_opens_a_ticket_that_says_so(talk):
    first = talk("两件T恤只到了一件")
    assert first["handoff"]["active"] is False
    errand = talk("行 那就补发吧")
    assert errand["handoff"]["active"] is True and errand["handoff"]["reason"] == "explicit_request"
    assert "补发" in errand["reply"] and "工单" in errand["reply"]
    assert "还有其他需要帮忙的" not in errand["reply"]
    question = talk("补发要多久")  # a question meanwhile: answered, the ticket not announced again
    assert question["handoff"]["status"] == "callback"
    assert "已经在您的回电工单" not in question["reply"] and "补发这件事" not in question["reply"]


def test_a_label_request_then_keep_me_posted_goes_on_the_same_ticket(talk):
    talk("the jacket I got runs small, can I swap it for a large?")
    label = talk("ok, send me the label please")
    assert label["handoff"]["active"] is True
    assert "return label" in label["reply"] and label["reply"].isascii()
    ticket = label["handoff"]["ticket_id"]
    posted = talk("ok, please keep me posted")
    assert posted["handoff"]["ticket_id"] == ticket
    assert f"callback ticket ({ticket})" in posted["reply"] and "keep you posted" in posted["reply"]
    assert "No agent is online" not in posted["reply"]  # the ticket is not announced twice


def test_an_errand_with_a_proposal_waiting_or_kefus_own_urge_is_not_ticketed():
    assert escalation.errand({"text": "行 那就补发吧"}) == "resend"
    assert escalation.errand({"text": "行 那就补发吧", "pending_action": {"name": "return_request"}}) is None
    assert escalation.errand({"text": "帮我催一下物流", "intent": "urge_shipment"}) is None
    assert escalation.errand({"text": "帮我催一下物流", "intent": "logistics_tracking"}) == "chase"


def test_a_pickup_request_then_the_day_goes_on_the_ticket(talk):
    talk("I received the wrong color sofa cover. Ordered grey, got beige.")
    pickup = talk("It's bulky, can you arrange pickup?")
    assert pickup["handoff"]["active"] is True and "arrange the pickup" in pickup["reply"]
    day = talk("Tuesday afternoon works")
    assert day["handoff"]["ticket_id"] == pickup["handoff"]["ticket_id"]
    assert "I don't need to check these details" not in day["reply"]
