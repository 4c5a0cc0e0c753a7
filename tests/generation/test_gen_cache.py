"""The answer cache: similar policy questions hit, new policy versions invalidate, private questions never cache."""

from __future__ import annotations

import pytest
from gen_fixtures import load_policies, passages_for

from graph.generation import AnswerCache, replay_cache, zipf_traffic
from graph.reply.policy import answer_policy_question, compose_policy_answer
from graph.reply.tone import tone_opening


class Versions:
    """The knowledge base's `versions_of` for a dict of policies the test edits."""

    def __init__(self, policies):
        self.policies = policies
        self.calls = 0

    def __call__(self, ids):
        self.calls += 1
        return {i: self.policies[i]["version"] for i in ids if i in self.policies}


def _answer(question, policies, ids, intent="return_policy"):
    return compose_policy_answer(question, passages_for(ids, policies), language="zh", emotion=None, intent=intent)


def test_same_and_similar_questions_hit_different_ones_miss():
    policies = load_policies()
    versions = Versions(policies)
    cache = AnswerCache()
    answer = _answer("退货运费谁出", policies, ["return-7day"])
    assert cache.put("return_policy", "退货运费谁出", answer, answer["citations"])
    assert cache.get("return_policy", "退货运费谁出？", versions)["text"] == answer["text"]
    assert cache.get("return_policy", "您好，退货的运费谁出呢", versions) is not None
    assert cache.get("return_policy", "发票多久能开", versions) is None
    assert cache.get("invoice", "退货运费谁出", versions) is None  # intent is part of the key
    stats = cache.stats()
    assert stats["hits"] == 2 and stats["misses"] == 2 and stats["hit_rate"] == 0.5


def test_key_terms_keep_apart_questions_that_read_alike():
    policies = load_policies()
    cache = AnswerCache(threshold=0.3)
    answer = _answer("支付宝退款多久到账", policies, ["refund-time"], "refund_status")
    cache.put("refund_status", "支付宝退款多久到账", answer, answer["citations"])
    assert cache.get("refund_status", "银行卡退款多久到账", Versions(policies)) is None
    assert cache.get("refund_status", "支付宝的退款多久能到账", Versions(policies)) is not None


def test_policy_edit_invalidates_and_next_answer_uses_new_fact():
    policies = load_policies()
    versions = Versions(policies)
    cache = AnswerCache()
    first = answer_policy_question("退货运费谁出", passages_for(["return-7day"], policies), language="zh",
                                   emotion=None, intent="return_policy", cache=cache, current_versions=versions)
    assert first["cache"] == "miss" and "12元" in first["text"]
    again = answer_policy_question("退货运费谁出", passages_for(["return-7day"], policies), language="zh",
                                   emotion=None, intent="return_policy", cache=cache, current_versions=versions)
    assert again["cache"] == "hit" and again["text"] == first["text"]
    # the editor publishes version 2: shipping insurance now pays up to 15 yuan
    policies["return-7day"] = {**policies["return-7day"], "version": 2,
                               "text": policies["return-7day"]["text"].replace("12元", "15元")}
    after = answer_policy_question("退货运费谁出", passages_for(["return-7day"], policies), language="zh",
                                   emotion=None, intent="return_policy", cache=cache, current_versions=versions)
    assert after["cache"] == "miss" and "15元" in after["text"] and "12元" not in after["text"]
    assert after["citations"] == [{"policy_id": "return-7day", "version": 2}]
    assert cache.stats()["stale"] == 1
    cached = cache.get("return_policy:zh", "退货运费谁出", versions)
    assert cached is not None and "15元" in cached["text"]


def test_retired_policy_or_unreachable_kb_is_not_served():
    policies = load_policies()
    cache = AnswerCache()
    answer = _answer("发票多久能开", policies, ["invoice"], "invoice")
    cache.put("invoice", "发票多久能开", answer, answer["citations"])
    assert cache.get("invoice", "发票多久能开", lambda ids: {}) is None

    def broken(ids):
        raise ConnectionError("kb down")

    cache.put("invoice", "发票多久能开", answer, answer["citations"])
    assert cache.get("invoice", "发票多久能开", broken) is None


@pytest.mark.parametrize("question", ["订单313021098954退款多久到账", "我手机13812345678的订单能退吗",
                                      "快递SF1234567890123什么时候到"])
def test_order_specific_questions_are_never_stored_nor_served(question):
    policies = load_policies()
    cache = AnswerCache()
    answer = _answer("退款多久到账", policies, ["refund-time"], "refund_status")
    assert not cache.put("refund_status", question, answer, answer["citations"])
    assert cache.put("refund_status", "退款多久到账", answer, answer["citations"])
    assert cache.get("refund_status", question, Versions(policies)) is None
    assert cache.stats()["refused"] == 2


def test_private_context_or_answer_is_refused():
    policies = load_policies()
    cache = AnswerCache()
    answer = _answer("退款多久到账", policies, ["refund-time"], "refund_status")
    assert not cache.put("refund_status", "退款多久到账", answer, answer["citations"],
                         context={"slots": {"order_id": "313021098954"}})
    private = {**answer, "text": answer["text"] + "您的订单313021098954已受理。"}
    assert not cache.put("refund_status", "退款多久到账", private, answer["citations"])
    assert not cache.put("refund_status", "退款多久到账", answer, [])  # ungrounded answers are not cached
    assert cache.stats()["entries"] == 0


def test_eviction_bounds_entries_and_bytes_and_keeps_popular_entries():
    cache = AnswerCache(max_entries=8, max_bytes=10_000_000)
    cite = [{"policy_id": "p", "version": 1}]
    def versions(ids):
        return {"p": 1}
    cache.put("faq", "热门问题", {"text": "热门答案"}, cite)
    for _ in range(5):
        assert cache.get("faq", "热门问题", versions)
    for i in range(40):
        cache.put("faq", f"冷门问题编号{i:03d}号", {"text": f"答案{i}"}, cite)
        cache.get("faq", "热门问题", versions)
    stats = cache.stats()
    assert stats["entries"] <= 8 and stats["evictions"] >= 33
    assert cache.get("faq", "热门问题", versions) is not None
    small = AnswerCache(max_entries=1000, max_bytes=3000)
    for i in range(50):
        small.put("faq", f"问题{i:03d}", {"text": "答" * 200}, cite)
    assert 0 < small.stats()["bytes"] <= 3000


def test_zipf_replay_hits_and_never_serves_order_questions():
    policies = load_policies()
    topics = [
        {"id": "fee", "intent": "return_policy", "questions": ["退货运费谁出", "退货的运费谁承担", "退货运费谁付"]},
        {"id": "bank", "intent": "refund_status", "questions": ["银行卡退款多久到账", "退款到银行卡要多久"]},
        {"id": "inv", "intent": "invoice", "questions": ["发票多久能开", "发票多久开出来"]},
    ]
    ids = {"fee": ["return-7day"], "bank": ["refund-time"], "inv": ["invoice"]}
    orders = [{"intent": "refund_status", "question": "订单313021098954的退款多久到账"}]
    traffic = zipf_traffic(topics, 200, order_questions=orders, order_share=0.2, seed=3)

    def answer(query):
        topic = query.get("topic") or "bank"
        return _answer(query["question"], policies, ids[topic], query["intent"])

    stats = replay_cache(traffic, answer=answer, current_versions=Versions(policies))
    assert stats["queries"] == 200 and stats["order_specific_hits"] == 0 and stats["wrong_topic_hits"] == 0
    assert stats["hit_rate"] > 0.5


def test_calm_customer_gets_tone_on_cache_hit_and_upset_customer_bypasses_cache():
    policies = load_policies()
    versions, cache = Versions(policies), AnswerCache()
    kwargs = {"language": "zh", "intent": "return_policy", "cache": cache, "current_versions": versions}
    answer_policy_question("退货运费谁出", passages_for(["return-7day"]), emotion=None, **kwargs)
    happy = answer_policy_question("退货运费谁出", passages_for(["return-7day"]),
                                   emotion={"label": "positive", "intensity": 0.6},
                                   opening=tone_opening({"label": "positive", "intensity": 0.6}, "zh"), **kwargs)
    assert happy["cache"] == "hit" and happy["text"].startswith("很高兴")
    angry = answer_policy_question("退货运费谁出", passages_for(["return-7day"]),
                                   emotion={"label": "angry", "intensity": 0.9}, **kwargs)
    assert angry["cache"] == "off" and "订单号" in angry["text"]


@pytest.mark.slow
def test_use_matcher_matches_paraphrases_and_keeps_topics_apart():
    cache = AnswerCache(matcher="use", threshold=0.75)
    cite = [{"policy_id": "p", "version": 1}]
    versions = {"p": 1}.copy
    cache.put("return_policy", "退货运费谁出", {"text": "A"}, cite)
    cache.put("invoice", "发票多久能开", {"text": "B"}, cite)
    assert cache.get("return_policy", "退货的运费谁承担", lambda ids: versions())["text"] == "A"
    assert cache.get("invoice", "发票什么时候开出来", lambda ids: versions())["text"] == "B"
    assert cache.get("return_policy", "退货要在几天内申请", lambda ids: versions()) is None
    assert cache.stats()["matcher"] == "use"
