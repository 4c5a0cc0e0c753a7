"""The shop suite's verdicts: a fact in the reply, no wrong case, a bare "which order?", a ticket."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.client import TurnResult
from evals.suites.base import SuiteError
from evals.suites.shop import bare_which_order, fact_verdict, opened_ticket, question_rows, shop_summary


def test_a_reply_passes_with_one_expected_fact_all_required_ones_and_no_wrong_one():
    row = {"expect_any": ["6-10个工作日", "6-10 working days"], "expect_not": ["2小时"]}
    assert fact_verdict("信用卡：6-10 Working Days", row) == []
    assert fact_verdict("信用卡6-10个工作日，支付宝2小时", row) == ["states 2小时"]
    assert fact_verdict("不知道", row)[0].startswith("missing one of")
    listed = {"expect_any": ["14天", "45天"], "expect_all": ["14天", "45天"]}
    assert fact_verdict("普通会员14天", listed) == ["missing 45天"]


def _turn(reply: str, **data) -> TurnResult:
    return TurnResult("q", 1.0, 200, {"reply": reply, "citations": [], "state": {}, **data})


def test_which_order_without_an_answer_and_tickets_are_counted():
    assert bare_which_order(_turn("请问是哪一笔订单？您最近的订单有：…"))
    assert not bare_which_order(_turn("根据《退货》：…告诉我是哪一笔订单即可", citations=[{"policy_id": "r"}]))
    assert opened_ticket(_turn("已为您转接", handoff={"active": True}))
    summary = shop_summary([{"class": "plain", "passed": True, "bare_which_order": False, "ticket": False,
                             "search_rank": 1},
                            {"class": "vague", "passed": False, "bare_which_order": True, "ticket": False,
                             "search_rank": None}], {"imported": 2, "retired_demo": 42})
    assert summary["fact_in_reply"] == 0.5 and summary["fact_in_reply_by_class"] == {"plain": 1.0, "vague": 0.0}
    assert summary["bare_which_order"] == 1 and summary["search_top3"] == 0.5 and summary["retired_demo"] == 42


@pytest.mark.parametrize("line, error", [
    ('{"id": "a", "expect_any": ["7天"]}', 'row 1 has no "question"'),
    ('{"question": "能退吗", "expect_any": "7天"}', '"expect_any" must be a list'),
    ('{"question": "能退吗"}', 'neither "expect_any" nor "expect_all"'),
    ('', 'holds no questions'),
    ('{"question": ', 'not JSON'),
])
def test_a_malformed_questions_file_is_refused_with_the_row_named(tmp_path: Path, line: str, error: str) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(SuiteError, match=error):
        question_rows(path)


def test_a_well_formed_questions_file_reads_every_row(tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text('{"question": "能退吗", "expect_any": ["7天"]}\n\n{"question": "q2", "expect_all": ["a"]}\n',
                    encoding="utf-8")
    assert [r["question"] for r in question_rows(path)] == ["能退吗", "q2"]
