"""The sentence encoder's match of question and clause: it finds the clause no shared word finds (another
language, a situation described in other words), and the composer falls back to words when it is missing."""

from __future__ import annotations

import pytest

from graph.generation import semantic
from graph.generation.cases import select_cases
from graph.generation.clauses import parse_clauses

INVOICE = """# 发票说明

## 开具时间
- 电子普通发票：申请后2个工作日内发送到邮箱。
- 纸质增值税专用发票：申请后15个工作日内邮寄。

## 其他
- 每个订单只能开具一次发票。
- 发票抬头提交后不能修改。
"""
FRESH = """# 生鲜售后时限

生鲜商品出现质量问题，请在以下时限内通过订单页提交凭证。不同商品时限不同：

| 商品类型 | 反馈时限 |
|---|---|
| 活鲜 | 签收后3小时内 |
| 冻品 | 签收后12小时内 |
| 水果 | 签收后48小时内 |
"""


PRICE = """# 价格保护

购买后同一商品在本店降价的，可以申请退差价。在订单详情页点击“申请价保”，系统自动比价并即时审核。审核通过后差价按原\
支付方式退回，到账时间与退款相同。价保期内降价多次的，可以多次申请，每次补足到当时的最低价。
"""


def _passage(text: str, title: str) -> dict:
    return {"policy_id": "p1", "version": 1, "title": title, "score": 0.6, "text": text}


def test_related_clause_is_closer_than_an_unrelated_one():
    sims = semantic.similarities("how long until I get a refund", ["退款将在3个工作日内原路退回。", "周末正常配送。"])
    assert sims[0] > sims[1]


def test_no_encoder_means_zero_similarity_and_words_decide(monkeypatch):
    monkeypatch.setattr(semantic, "_failed", [])

    def broken(spec: str):
        raise RuntimeError("no model here")

    monkeypatch.setattr("knowledge.embeddings.get_embedder", broken)
    assert semantic.similarities("退款多久到账", ["退款3天到账", "周末配送"]) == [0.0, 0.0]
    assert semantic.similarities("", []) == []
    picks = select_cases("电子发票多久开", [_passage(INVOICE, "发票说明")], None)
    assert picks and "2个工作日" in " ".join(picks[0].items)


def _answer(question: str, text: str, title: str) -> str:
    return " ".join(i for p in select_cases(question, [_passage(text, title)], None) for i in p.items)


@pytest.mark.parametrize("question", ["价保能申请几次", "how many times can I claim a price difference?",
                                      "If the price drops several times, can I claim each time?"])
def test_the_clause_that_means_the_question_answers_it(question):
    # "几次" / "times" share no word with "多次申请": the encoder's match picks the sentence
    assert "可以多次申请" in _answer(question, PRICE, "价格保护")


def test_a_sentence_pointing_at_the_list_below_leads_it():
    text = FRESH.replace("不同商品时限不同：", "")
    items = [c for c in parse_clauses(text) if c.group >= 0]
    assert items and all("以下时限" in c.lead for c in items)
    answer = _answer("生鲜坏了要多久内申请售后？", text, "生鲜售后时限")
    assert all(t in answer for t in ("3小时", "12小时", "48小时")), answer
