"""The demo policy set: loads cleanly, states the shop's rule numbers, and is found by typical questions."""

from __future__ import annotations

import pytest

from knowledge import demo_policies_dir
from knowledge.evaluation import evaluate_retrieval, load_questions
from knowledge.importer import policy_files, read_policy

RULE_FACTS = {  # policy id -> phrases the shop's actions rely on
    "return-7day": ["7天", "12元"],
    "return-quality": ["15天", "本店承担"],
    "exchange": ["15天"],
    "shipping-fee": ["99元", "8元"],
    "shipping-time": ["48小时"],
    "shipping-insurance": ["12元"],
    "price-protection": ["30天", "秒杀", "一次"],
    "invoice": ["180天", "1个工作日", "税号"],
    "invoice-change": ["一次"],
    "signed-not-received": ["48小时", "3个工作日"],
    "damaged-missing": ["48小时", "照片"],
    "cancel-order": ["发货前", "拒收"],
    "address-change": ["发货前"],
    "refund-time": ["实时", "1-3个工作日", "3-7个工作日", "48小时"],
    "return-7day-en": ["7 days", "12 yuan", "15 days"],
    "refund-time-en": ["1-3 working days", "3-7"],
}


def test_demo_files_are_valid_and_bilingual() -> None:
    docs = [read_policy(p, 256 * 1024) for p in policy_files(demo_policies_dir())]
    locales = [d.locale for d in docs]
    assert locales.count("zh-CN") >= 30 and locales.count("en") >= 8
    assert len({d.id for d in docs}) == len(docs)
    by_id = {d.id: d.body for d in docs}
    for pid, phrases in RULE_FACTS.items():
        for phrase in phrases:
            assert phrase in by_id[pid], f"{pid} should state {phrase!r}"


def test_demo_store_is_served(demo_kb) -> None:
    listing = demo_kb.list()
    assert len(listing) >= 38 and all(row["status"] == "active" for row in listing)
    assert all(row["current_version"] == 1 for row in listing)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("买的榴莲能七天无理由退吗", {"return-exclusions", "fresh-food"}),
        ("钱退到支付宝要几天", {"refund-time"}),
        ("发漂抬头写错了", {"invoice-change", "invoice"}),  # homophone typo
        ("how long untill my refund arrives on my bank card", {"refund-time-en", "refund-time"}),
        ("这个order能cancel吗", {"cancel-order", "cancel-order-en"}),
        ("显示签收了但我没收到", {"signed-not-received"}),
    ],
)
def test_typical_questions_find_their_policy(demo_kb, query: str, expected: set[str]) -> None:
    ids = [h["policy_id"] for h in demo_kb.search(query, k=3)]
    assert expected & set(ids), ids


@pytest.mark.parametrize(
    "locale, expected", [("en", "en"), ("en-US", "en"), ("zh", "zh-CN"), ("zh-CN", "zh-CN")]
)
def test_locale_filter(demo_kb, locale: str, expected: str) -> None:
    hits = demo_kb.search("refund time 退款多久到账", k=3, locale=locale)
    assert hits and all(h["locale"] == expected for h in hits)


def test_evaluate_retrieval_on_the_dev_questions(demo_kb) -> None:
    from evals.bench_kb import QUESTIONS

    dev = load_questions(QUESTIONS.with_name("kb_dev.jsonl"))
    result = evaluate_retrieval(demo_kb, dev)
    assert result["n"] == len(dev) and set(result) >= {"recall_at_1", "recall_at_3", "mrr", "misses"}
    assert result["recall_at_3"] >= 0.8 and result["recall_at_1"] <= result["recall_at_3"]


def test_bench_recall_reads_the_question_file_it_is_given(demo_kb, tmp_path) -> None:
    from evals.bench_kb import bench_recall

    path = tmp_path / "two.jsonl"
    path.write_text(
        '{"query": "运费险最多赔多少", "expected": ["shipping-insurance"]}\n'
        '{"query": "量子力学是什么", "expected": ["no-such-policy"]}\n',
        encoding="utf-8",
    )
    result = bench_recall(demo_kb, path)
    assert result["n"] == 2 and result["recall_at_3"] == 0.5 and result["misses_at_3"] == 1
