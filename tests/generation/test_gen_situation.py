"""A situation described in other words than the policy's ("不想要了") is answered with the opening rule of the
policy the KB put close to it; a policy that is not close answers nothing."""

from __future__ import annotations

import pytest

from graph.generation import semantic
from graph.generation.cases import LEAD_SCORE, select_cases

CANCEL = """# 取消订单

- 待付款的订单可直接取消，不收费用。
- 已付款、未打包（待出库）的订单可在订单页自助取消。
- 已出库的订单不能取消，请签收后申请退货。
"""


@pytest.fixture()
def no_encoder(monkeypatch):
    """Words alone decide: the situation shares none with the clauses."""
    monkeypatch.setattr(semantic, "similarities", lambda question, texts: [0.0] * len(texts))


def _picks(question: str, score: float):
    passage = {"policy_id": "p1", "version": 1, "title": "取消订单", "score": score, "text": CANCEL}
    return select_cases(question, [passage], None)


def test_a_close_policy_answers_a_situation_with_no_word_in_common(no_encoder):
    picks = _picks("不想要了", LEAD_SCORE + 0.1)
    assert picks and "待付款" in " ".join(picks[0].items)


def test_a_policy_that_is_not_close_answers_no_situation(no_encoder):
    assert _picks("不想要了", LEAD_SCORE - 0.2) == []


def test_noise_or_a_question_sharing_no_word_is_not_answered_by_a_close_policy(no_encoder):
    assert _picks("今天天气怎么样", LEAD_SCORE + 0.1) == []


DAMAGE = """# 破损与漏液

- 反馈时限：签收后 **48小时内** 反馈，需提供照片。
- 处理方式：
  - 外盒压痕、塑封破损但商品完好：补偿 **5元** 无门槛券。
  - 漏液超过瓶内容量的 **三分之一**：补发新品或全额退款。
"""


def test_the_clause_the_kb_retrieved_answers_the_situation(no_encoder):
    passage = {"policy_id": "p2", "version": 1, "title": "破损与漏液", "score": LEAD_SCORE + 0.02, "text": DAMAGE,
               "retrieved": "处理方式：漏液超过瓶内容量的 **三分之一**：补发新品或全额退款。"}
    picks = select_cases("盒子里那瓶漏了一半", [passage], None)
    assert picks and "补发新品" in " ".join(picks[0].items)
    unmatched = select_cases("盒子里那瓶漏了一半", [{**passage, "retrieved": "别的店铺的一段话"}], None)
    assert unmatched and "48小时" in " ".join(unmatched[0].items)  # no clause inside: the opening rule, as before


def test_a_situation_naming_no_case_gets_the_opening_rule_not_the_retrieved_case(no_encoder):
    passage = {"policy_id": "p1", "version": 1, "title": "取消订单", "score": LEAD_SCORE + 0.05, "text": CANCEL,
               "retrieved": "已出库的订单不能取消，请签收后申请退货。"}
    picks = select_cases("不想要了", [passage], None)
    assert picks and "待付款" in " ".join(picks[0].items)
