"""One call for the respond node's POLICY branch: cache lookup, grounded composition, optional LLM.

The cache holds emotion-neutral answers; the customer's tone opening is put in front on a hit.
Angry or anxious customers get a freshly composed answer (apology or time frame first).
"""

from __future__ import annotations

from typing import Any

from app.settings import Settings
from graph.generation.cache import AnswerCache, VersionsFn
from graph.generation.composer import ExpandFn, compose_policy_answer
from graph.generation.reply import generate_reply
from graph.generation.tone import reply_language, tone_key, tone_opening


def answer_policy_question(
    question: str,
    passages: list[dict[str, Any]],
    *,
    language: str,
    emotion: dict[str, Any] | None,
    intent: str | None,
    trend: str = "flat",
    cache: AnswerCache | None = None,
    current_versions: VersionsFn | None = None,
    settings: Settings | None = None,
    context: dict[str, Any] | None = None,
    expand: ExpandFn | None = None,
) -> dict[str, Any]:
    """{"text", "citations", "grounded", "tier", "cache": "hit"|"miss"|"off", "fallback_reason"?}.

    Pass `current_versions=kb.versions_of` and `expand=lambda pid, v: kb.get(pid, v)["body"]`."""
    key = f"{intent or 'other'}:{reply_language(language)}"
    calm = not tone_key(emotion, trend).startswith(("angry", "anxious"))
    use_cache = cache is not None and current_versions is not None and calm
    if use_cache:
        hit = cache.get(key, question, current_versions, context=context)  # type: ignore[union-attr,arg-type]
        if hit is not None:
            opening = tone_opening(emotion, language, trend)
            text = f"{opening}{'' if reply_language(language) == 'zh' else ' '}{hit['text']}" if opening else hit["text"]
            return {**hit, "text": text.strip(), "grounded": True, "cache": "hit"}
    composed = compose_policy_answer(question, passages, language=language, emotion=emotion, intent=intent,
                                     trend=trend, expand=expand)
    result = {**composed, "tier": "composer", "cache": "miss" if use_cache else "off"}
    if settings is not None and composed["grounded"]:
        llm_context = {**(context or {}), "question": question, "language": language, "emotion": emotion,
                       "intent": intent, "passages": passages, "trend": trend}
        result.update(generate_reply(settings=settings, draft=composed["text"], context=llm_context))
    if use_cache and composed["grounded"]:
        body = result["text"] if result["tier"] == "llm" else composed["body"]
        cache.put(key, question, {"text": body, "tier": result["tier"]}, composed["citations"],  # type: ignore[union-attr]
                  context=context)
    return result


def ask_policy_question(settings: Settings, question: str, *, language: str | None = None,
                        intent: str | None = None) -> dict[str, Any]:
    """One policy question end to end against the shop's knowledge base and the configured LLM
    (used by `kefu llm ask` to check a deployment): retrieval, composition, LLM + grounding check."""
    import time

    from knowledge import open_kb

    kb = open_kb(settings)
    language = language or guess_language(question)
    started = time.perf_counter()
    passages = kb.search(question, k=3)
    answer = answer_policy_question(question, passages, language=language, emotion=None, intent=intent,
                                    settings=settings, expand=lambda pid, v: kb.get(pid, v)["body"])
    return {"reply": answer["text"], "tier": answer.get("tier", "composer"),
            "fallback_reason": answer.get("fallback_reason"), "grounded": answer["grounded"],
            "citations": answer["citations"], "language": language,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def guess_language(text: str) -> str:
    """zh, en or mixed from the characters of `text` (the NLU's label is better when there is one)."""
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    latin = any(ch.isascii() and ch.isalpha() for ch in text)
    return "mixed" if cjk and latin else "zh" if cjk or not latin else "en"
