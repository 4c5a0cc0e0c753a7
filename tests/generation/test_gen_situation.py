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
