"""The condition vocabulary: everyday words for a product, its category and the order's state, in Chinese and
English, pick the case a policy names by its category or state."""

from __future__ import annotations

import pytest

from graph.generation.cases import select_cases
from graph.generation.conditions import condition_of

CLAIMS = """# 质量问题反馈时限

- 乳品、鸡蛋：签收后24小时内反馈。
- 冻品：签收后12小时内反馈。
- 水果、蔬菜：签收后48小时内反馈。
"""
RETURNS = """# 美妆退货

- 护肤品：未拆封的，签收后7天内可无理由退货。
- 彩妆：已拆封的不支持无理由退货。
"""


@pytest.mark.parametrize(("question", "kind", "value"), [
    ("鲜奶坏了", "product", "乳品"), ("冰淇淋化了", "product", "冻品"), ("口红能退吗", "product", "彩妆"),
    ("is the sunscreen returnable", "product", "护肤品"), ("面膜已经开封了", "state", "已拆封"),
    ("still sealed, can I return it", "state", "未拆封"), ("没用过的能退吗", "state", "未使用"),
])
def test_everyday_words_name_a_category_or_state(question, kind, value):
    assert value in condition_of(question).values.get(kind, set())


def _answer(question: str, text: str, title: str) -> str:
    passage = {"policy_id": "p1", "version": 1, "title": title, "score": 0.6, "text": text}
    return " ".join(i for p in select_cases(question, [passage], None) for i in p.items)


def test_a_product_picks_the_case_of_its_category():
    answer = _answer("买的鲜奶有问题，多久内要反馈", CLAIMS, "质量问题反馈时限")
    assert "24小时" in answer and "48小时" not in answer and "12小时" not in answer


def test_an_english_product_word_picks_its_category_case():
    answer = _answer("can I return lipstick?", RETURNS, "美妆退货")
    assert "已拆封的不支持" in answer and "7天" not in answer


def test_a_hyphenated_english_word_is_looked_up_whole_and_by_parts():
    from graph.generation.selection import question_terms

    terms = question_terms("is the pre-sale deposit refundable? any interest-free installments?", None)
    assert {"预售", "定金", "免息", "分期"} <= set(terms)


SHIPPING = """# 运费标准

- 江浙沪：满49元包邮，未达门槛运费5元。
- 其他大陆地区：满99元包邮，未达门槛运费8元。
- 偏远地区（新疆、西藏、青海）：满199元包邮，未达门槛运费18元。
"""
LEVELS = """# 会员等级

- 银卡：会员折扣98折。
- 金卡：会员折扣95折。
- 黑卡：会员折扣9折。
"""
GIFTS = """# 满赠

- 满199元：小样2件。
- 满399元：小样5件。
"""


@pytest.mark.parametrize(("question", "kind", "value"), [
    ("I'm a black card member", "member", "黑卡"), ("我是黑卡", "member", "黑卡"), ("gold member here", "member", "金卡"),
    ("shipping to Qinghai?", "place", "青海"), ("do you ship to Sichuan", "place", "四川"),
    ("I live in Xi'an", "place", "西安"),
])
def test_english_and_pinyin_names_of_member_tiers_and_places(question, kind, value):
    assert value in condition_of(question).values.get(kind, set())


@pytest.mark.parametrize("question", ["a human agent please", "send it to my hotel", "golden retriever toy"])
def test_english_words_that_only_contain_a_name_are_no_condition(question):
    assert not condition_of(question).values.get("place") and not condition_of(question).values.get("member")


def test_an_english_member_tier_picks_its_case():
    answer = _answer("I'm a black card member, what discount do I get?", LEVELS, "会员等级")
    assert "9折" in answer and "95折" not in answer and "98折" not in answer


def test_a_pinyin_province_picks_the_case_that_lists_it():
    answer = _answer("how much is shipping to Qinghai?", SHIPPING, "运费标准")
    assert "18元" in answer and "5元" not in answer


def test_an_english_amount_spent_picks_its_tier_and_a_duration_is_no_amount():
    answer = _answer("do I get free samples if I spend 400?", GIFTS, "满赠")
    assert "5件" in answer and "2件" not in answer
    assert [q.family for q in condition_of("I paid it 18 months ago").quantities] == ["day"]
    assert not [q for q in condition_of("spent 3 days waiting").quantities if q.family == "money"]
