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
