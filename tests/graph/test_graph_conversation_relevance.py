"""Issue 21, the two largest classes of the shop owner's reading of the replays: a policy quoted that is not on
the turn's topic, and identity details (a name, an e-mail, a username, a date) met with "not understood" or a
rule. Scripted conversations asserting the state and the reply after each turn, and the pieces they rest on."""

from __future__ import annotations

import pytest

from graph import details, relevance

NAMES_AND_IDS = ["Crystal Minh", "alessandro phoenix", "Username: albertsanders187", "ap994189@email.com",
                 "11/22/19", "6496 lincoln ave jacksonville ny 17178", "Account ID: EA6AHJN0EC", "OSJMTAD16Z",
                 "my name is albert sanders and my ID is 2UN7FUKM3V", "I'm Albert Sanders", "(746) 914-1482",
                 "86227 is the zip", "cminh948, cminh948@email.com"]
NOT_DETAILS = ["no thx", "Thats all I need thanks", "let me try that", "says delivered", "Awesome thanks",
               "Yes its been delivered", "I'm very upset", "this is ridiculous", "did you find it?", "Silver",
               "return by mail", "我的手机号 15900001234", "it's been 2 weeks!!", "Mail would be best"]


@pytest.mark.parametrize("text", NAMES_AND_IDS)
def test_identity_details_are_recognised(text):
    assert details.gives_details(text)


@pytest.mark.parametrize("text", NOT_DETAILS)
def test_phrases_requests_and_chinese_messages_are_not_details(text):
    assert not details.gives_details(text)


def _passage(title: str, score: float) -> dict:
    return {"policy_id": title, "title": title, "score": score, "text": "…"}


def test_a_rule_is_quoted_when_close_to_the_question_or_on_the_turns_topic():
    assert relevance.on_topic(_passage("数字与虚拟商品", 0.5), "account_issue")  # close enough, whatever the intent
    assert not relevance.on_topic(_passage("数字与虚拟商品", 0.23), "account_issue")
    assert relevance.on_topic(_passage("显示签收但未收到货", 0.36), "delivery_problem")  # 签收: the topic's term
    assert not relevance.on_topic(_passage("修改收货地址和电话", 0.40), "delivery_problem")
    assert relevance.on_topic(_passage("Refund times by payment method", 0.3), "refund_status")
    assert not relevance.on_topic(_passage("Invoices", 0.3), "other")
    assert not relevance.on_topic({"title": "发票", "score": "n/a"}, "invoice")  # a broken score: not quoted
    kept = relevance.relevant_passages([_passage("优惠券使用规则", 0.41), _passage("退货退款流程", 0.37)],
                                       "return_request", "能不能给我便宜点我就不退了")
    assert [p["title"] for p in kept] == ["退货退款流程"]


def test_a_rule_naming_what_the_message_names_is_on_topic_whatever_the_intent():
    install = {"title": "安装服务收费标准", "score": 0.41, "text": "空调移机：拆机加装机，每台300元。"}
    assert relevance.on_topic(install, "product_inquiry", "柜机移机多少钱")  # the NLU's guess is off; 移机 is not
    assert not relevance.on_topic(install, "product_inquiry", "你记一下")
    address = {"title": "修改收货地址和电话", "score": 0.39, "text": "您可以联系快递公司申请改派（可能产生费用）。"}
    assert not relevance.on_topic(address, "other", "你们帮我联系一下啊")  # 联系: a word every rule may use
    points = {"title": "会员等级与积分", "score": 0.31, "text": "每100积分抵1元。"}
    assert relevance.on_topic(points, "account_issue", "How much do I need to spend to become a gold member?")
    assert not relevance.on_topic({**points, "score": 0.25}, "account_issue", "Security Answer: Alexander")


def test_an_unrelated_rule_is_not_quoted_and_kefu_says_what_it_can_do(talk):
    member = talk("我是plus会员")  # retrieval's best is the digital-goods rule (score ~0.23)
    assert "《" not in member["reply"] and "数字" not in member["reply"]
    assert "我记下了" in member["reply"] and member["handoff"]["active"] is False
    customs = talk("清关要我提供身份证吗")  # a question no rule here answers: a person is offered, plainly
    assert "《" not in customs["reply"] and "人工客服" in customs["reply"]
    assert customs["state"]["pending_question"]["kind"] == "transfer"
    yes = talk("好的")  # the offer is taken up
    assert yes["handoff"]["active"] is True


def test_a_rule_on_the_topic_is_still_quoted(talk):
    turn = talk("退货运费谁出")
    assert "《退货运费由谁承担》" in turn["reply"]


def test_a_name_is_taken_note_of_and_the_order_asked_for_counts(talk):
    ask = talk("I want to return an item, it's the wrong colour")
    assert ask["state"]["active_intent"] == "return_request" and ask["state"]["asked"] == {"order_id": 1}
    name = talk("Crystal Minh")  # kefu asked for the order, not a name: noted, and the order asked for again
    assert name["state"]["dialogue_act"] == "acknowledge"
    assert "not sure I understood" not in name["reply"] and "According to our policy" not in name["reply"]
    assert name["reply"].startswith("Thanks, got it.") and "which order" in name["reply"]
    assert name["state"]["asked"] == {"order_id": 2} and name["handoff"]["active"] is False
    mail = talk("crystalminh@email.com")  # the third time: a person follows it up instead of a third ask
    assert mail["handoff"]["active"] is True and mail["state"]["asked"] == {"order_id": 3}
    user = talk("crystalm914")  # the callback ticket is open: the details go to it
    assert "callback ticket" in user["reply"] and "not sure I understood" not in user["reply"]


def test_details_with_nothing_asked_get_what_kefu_can_do(talk):
    turn = talk("Joyce Wu")
    assert turn["state"]["dialogue_act"] == "acknowledge"
    assert turn["reply"].startswith("Thanks, got it.") and "human" in turn["reply"]
    account = talk("Account ID: EA6AHJN0EC")
    assert "According to our policy" not in account["reply"] and account["reply"] != turn["reply"]


@pytest.mark.parametrize("text", ["那先别取消", "算了先不退了", "那就不退了吧", "还是不取消了", "I'll keep it"])
def test_a_withdrawn_request_reads_as_a_no(text):
    from graph import dialogue_acts

    assert dialogue_acts.is_deny(text) and not dialogue_acts.is_confirm(text)


def test_a_question_about_a_refund_is_not_a_withdrawal():
    from graph import dialogue_acts

    assert not dialogue_acts.is_deny("为什么不退了")


def test_a_withdrawn_cancellation_clears_the_proposal_and_is_confirmed(talk, cases, store):
    proposed = talk(f"把订单{cases['paid']}取消了")
    assert proposed["actions"][0]["status"] == "proposed" and proposed["state"]["pending_action"]
    withdrawn = talk("那先别取消")
    assert withdrawn["state"]["dialogue_act"] == "deny" and not withdrawn["state"]["pending_action"]
    assert withdrawn["state"]["asked"] == {}  # not counted towards the ask limit
    later = talk("好")  # nothing is pending any more: no cancellation runs
    assert not any(a.get("status") == "done" for a in later["actions"] or [])
    assert store.get_order(cases["paid"])["status"] == "paid"
