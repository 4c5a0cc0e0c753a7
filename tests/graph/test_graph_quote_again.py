"""Issue 21: a follow-up question whose answer kefu already gave ("多久能到账" after the refund times, "那付了尾款
以后能退吗" after the presale rule) gets the sentence that answers it quoted again, not "that is all I can find";
the words of the question are matched piece by piece, and a question about time or amount prefers the
sentence with the figure. Nothing is quoted when no sentence shares a word with the question."""

from __future__ import annotations

from graph.reply.moves import quote_for

REFUND_TIMES = ("根据《退款到账时间》：退款一律原路退回到付款时使用的支付方式。各支付方式到账时间如下：账户余额支付：实时到账；"
                "支付宝、微信支付：1-3个工作日到账；银行卡支付：3-7个工作日到账。")
PRESALE = ("根据《预售商品定金与尾款》：未在尾款支付期内支付尾款的，订单自动关闭，定金不退。"
           "支付尾款后的订单与普通订单一样，适用七天无理由退货等售后规则。")


def test_the_sentence_that_answers_is_quoted():
    assert "1-3个工作日到账" in quote_for(REFUND_TIMES, "多久能到账")
    assert "原路退回" not in quote_for(REFUND_TIMES, "多久能到账")  # the figure answers "how long"
    assert "七天无理由退货" in quote_for(PRESALE, "那付了尾款以后能退吗")
    assert quote_for(REFUND_TIMES, "发票怎么开") == ""


def test_a_repeated_refund_question_quotes_the_times(talk):
    first = talk("算了不等了 直接退吧 钱原路退回是吧")
    assert "到账" in first["reply"]
    again = talk("多久能到账")
    assert "能查到的就是刚才说的这些" not in again["reply"]
    assert "工作日到账" in again["reply"]
    assert again["reply"] != first["reply"]


def test_english_sentences_are_split_at_full_stops():
    text = ("No worries, let me look. Shipping is free for orders of 99 yuan or more. "
            "We ship within 48 hours of payment.")
    quoted = quote_for(text, "how long until you ship")
    assert "We ship within 48 hours of payment." in quoted and "No worries" not in quoted
    assert "more. We ship" in quoted  # English sentences joined with a space
