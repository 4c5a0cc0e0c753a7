"""The answer cache keyed by the served policy set: every change of what is served empties it, also a change
of a policy the cached answer did not cite, and an answer written while the policies changed is not kept."""

from __future__ import annotations

from kbtools import policy_md

from graph.generation import AnswerCache
from graph.reply.policy import answer_policy_question

RETURNS = policy_md("return-7day", "七天无理由退货", "签收后7天内可以无理由退货，寄回运费由买家承担。", category="returns")
PETS = policy_md("pet-returns", "宠物用品退换规则", "宠物食品开封后不支持退货；活体宠物不支持无理由退货。", category="returns")
GIFT = policy_md("gift-card", "礼品卡", "礼品卡不记名、不挂失，有效期三年。", category="payment")
QUESTION = "宠物用品可以无理由退货吗"


def _ask(kb, cache: AnswerCache) -> dict:
    passages = kb.search(QUESTION, k=3)
    return answer_policy_question(QUESTION, passages, language="zh", emotion=None, intent="return_policy", cache=cache,
                                  current_versions=kb.versions_of, context={"passages": passages})


def test_a_newly_relevant_policy_reaches_the_next_answer(empty_kb) -> None:
    empty_kb.publish(RETURNS, "a")
    cache = AnswerCache(policy_set=empty_kb.policy_set_version)
    first = _ask(empty_kb, cache)
    assert first["cache"] == "miss" and [c["policy_id"] for c in first["citations"]] == ["return-7day"]
    assert _ask(empty_kb, cache)["cache"] == "hit"
    empty_kb.publish(PETS, "a")  # return-7day is unchanged, yet the answer must change
    fresh = _ask(empty_kb, cache)
    assert fresh["cache"] == "miss" and "pet-returns" in [c["policy_id"] for c in fresh["citations"]]
    assert "宠物" in fresh["text"]


def test_retiring_a_policy_that_was_not_cited_still_empties_the_cache(empty_kb) -> None:
    empty_kb.publish(RETURNS, "a")
    empty_kb.publish(GIFT, "a")
    cache = AnswerCache(policy_set=empty_kb.policy_set_version)
    _ask(empty_kb, cache)
    assert _ask(empty_kb, cache)["cache"] == "hit"
    empty_kb.retire("gift-card", "a")
    assert _ask(empty_kb, cache)["cache"] == "miss"
    assert cache.stats()["entries"] == 1  # the old entry went, the new answer is in


def test_an_answer_written_while_the_policies_changed_is_not_kept(empty_kb) -> None:
    empty_kb.publish(RETURNS, "a")
    cache = AnswerCache(policy_set=empty_kb.policy_set_version)
    passages = empty_kb.search(QUESTION, k=3)  # retrieved before the change ...
    empty_kb.publish(PETS, "a")  # ... published by another editor meanwhile ...
    answer = {"text": "签收后7天内可以无理由退货。"}
    assert cache.put("return_policy:zh", QUESTION, answer, [{"policy_id": "return-7day", "version": 1}],
                     context={"passages": passages}) is False  # ... so the answer is not cached
    assert cache.stats()["entries"] == 0


def test_an_unreachable_knowledge_base_serves_nothing_from_the_cache(empty_kb) -> None:
    empty_kb.publish(RETURNS, "a")
    state = {"down": False}

    def policy_set() -> str:
        if state["down"]:
            raise OSError("database is locked")
        return str(empty_kb.policy_set_version())

    cache = AnswerCache(policy_set=policy_set)
    _ask(empty_kb, cache)
    state["down"] = True
    assert cache.get("return_policy:zh", QUESTION, empty_kb.versions_of) is None
