"""Two-language shops: a question in one language finds the policy in the other language that answers it,
not a policy of its own language that merely shares a few words with it (knowledge.calibration)."""

from __future__ import annotations

from pathlib import Path

from kbtools import policy_md

from knowledge import import_path
from knowledge.calibration import prefer_query_language, served_twins

ZH_POLICIES = {
    "service-hours": (
        "客服时间",
        "# 客服时间\n\n- 人工在线客服：每天9:00-22:00。\n- 电话客服：工作日9:00-18:00，周末不开通。",
    ),
    "returns": ("退货规则", "# 退货规则\n\n签收后7天内可无理由退货，商品须未使用、包装完整。"),
    "invoice": ("发票", "# 发票\n\n付款后180天内可申请电子发票，专票需提供税号。"),
    "shipping-fee": ("运费", "# 运费\n\n订单满99元包邮，不满99元收8元运费；偏远地区另加15元。"),
}
EN_POLICY = (
    "# Skin reactions\n\nIf a product causes a rash, stop using it. Register with customer service within "
    "72 hours of the reaction, during service hours. Customer service reviews the photos within 24 hours "
    "and refunds the order in full."
)


def _two_language_shop(kb, folder: Path) -> None:
    folder.mkdir()
    for pid, (title, body) in ZH_POLICIES.items():
        (folder / f"{pid}.md").write_text(policy_md(pid, title, body, locale="zh-CN"), encoding="utf-8")
    (folder / "skin.md").write_text(
        policy_md("en-skin-reactions", "Skin Reactions (English)", EN_POLICY, locale="en"), encoding="utf-8"
    )
    assert import_path(kb, folder, "importer")["imported"] == 5


def test_an_english_question_finds_the_chinese_policy_over_an_english_word_overlap(empty_kb, tmp_path) -> None:
    _two_language_shop(empty_kb, tmp_path / "policies")
    hits = empty_kb.search("What are your customer service hours?", k=3)
    assert hits[0]["policy_id"] == "service-hours", [(h["policy_id"], h["score"]) for h in hits]


def test_the_english_policy_still_answers_its_own_question(empty_kb, tmp_path) -> None:
    _two_language_shop(empty_kb, tmp_path / "policies")
    assert empty_kb.search("I got a rash from the cream, what do I do?", k=3)[0]["policy_id"] == "en-skin-reactions"
    assert empty_kb.search("退货要在几天内申请", k=3)[0]["policy_id"] == "returns"


def test_the_query_language_picks_between_twins_only() -> None:
    scores = {"returns": 0.6, "returns-en": 0.5, "skin-en": 0.55}
    prefer_query_language(scores, {"returns": "returns-en", "returns-en": "returns"}, {"returns-en", "skin-en"})
    assert scores == {"returns": 0.5, "returns-en": 0.6, "skin-en": 0.55}
    prefer_query_language(scores, {"returns": "returns-en", "returns-en": "returns"}, {"returns"})
    assert scores == {"returns": 0.6, "returns-en": 0.5, "skin-en": 0.55}


def test_twins_are_paired_only_across_two_languages() -> None:
    zh, en = {"locale": "zh-CN", "twin": None}, {"locale": "en", "twin": None}
    assert served_twins({"a": zh, "a-en": en, "b-en": en}) == {"a": "a-en", "a-en": "a"}
    assert served_twins({"a": zh, "a-en": zh}) == {}
    assert served_twins({"x": zh, "y": {"locale": "en", "twin": "x"}}) == {"x": "y", "y": "x"}
