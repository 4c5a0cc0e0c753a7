"""Follow-up questions become standalone retrieval queries."""

from __future__ import annotations

import pytest

from knowledge import rewrite_query


@pytest.mark.parametrize(
    "text, history, slots, must_have, must_not",
    [
        ("那生鲜呢?", ["七天无理由退货怎么退"], {}, ["生鲜", "退货"], ["呢", "?"]),
        ("那生鲜呢？", ["你好", "7天无理由退货的规则是什么"], {}, ["生鲜", "7天", "无理由退货"], []),
        ("定制的呢？", ["7天无理由退货的规则是什么", "那生鲜呢"], {}, ["定制", "无理由退货"], ["生鲜", "的"]),
        ("银行卡呢", ["退款多久到账"], {}, ["银行卡", "退款"], []),
        (
            "what about fresh food?",
            ["can I return within 7 days without reason?"],
            {},
            ["fresh food", "return", "7 days"],
            ["what about"],
        ),
        ("那这个呢", ["耳机可以七天无理由退货吗"], {"product": "降噪耳机"}, ["降噪耳机", "退货"], []),
    ],
)
def test_elliptical_turns_borrow_the_previous_topic(text, history, slots, must_have, must_not) -> None:
    query = rewrite_query(text, history, slots)
    for word in must_have:
        assert word in query
    for word in must_not:
        assert word not in query


@pytest.mark.parametrize(
    "text", ["发票怎么开", "How do I get an invoice for my order?", "显示签收了但我没收到货"]
)
def test_self_contained_turns_are_unchanged(text: str) -> None:
    assert rewrite_query(text, ["七天无理由退货怎么退"], {}) == text


def test_degenerate_inputs() -> None:
    assert rewrite_query("", ["退货"], {}) == ""
    assert rewrite_query("那个呢", [], {}) == "那个呢"
    assert rewrite_query("那生鲜呢", ["", "   "], {}) == "那生鲜呢"
    assert rewrite_query("那生鲜呢", ["七天无理由退货"], None).startswith("生鲜")


def test_rewritten_follow_up_finds_the_right_policy(demo_kb) -> None:
    query = rewrite_query("那生鲜呢?", ["七天无理由退货怎么退"], {})
    ids = [h["policy_id"] for h in demo_kb.search(query, k=3)]
    assert {"fresh-food", "return-exclusions"} & set(ids)
