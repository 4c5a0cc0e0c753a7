"""Policy answers: the grounded composer, the answer cache and the optional LLM rewrite, in one call.

The composer builds the answer only from the sentences of the cited passages. It is the default
writer when no LLM is configured and the fallback when the LLM fails. Every fact it states is a
sentence (or a figure) of a retrieved policy; with no relevant passage it says plainly that it does
not know and offers a human. The cache (graph/generation/cache.py) holds tone-free composer answers (never
LLM rewrites) keyed by the policy versions they cite; the customer's tone opening (graph/reply/tone.py)
goes in front.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graph.generation.cache import AnswerCache, VersionsFn
from graph.generation.numbers import figure_spans
from graph.generation.reply import generate_reply
from graph.generation.selection import Candidate, select_sentences
from graph.generation.text import normalise
from graph.intents import REGISTRY
from graph.ports import LLMSettings, PolicyBase
from graph.reply.tone import tone_key, with_opening
from graph.reply.wording import reply_language, section
from knowledge.language import is_cjk_text

ExpandFn = Callable[[str, int], "str | None"]
MIN_PASSAGE_SCORE = 0.3
"""Passages scored below this by the knowledge base are not used (the answer says 'I don't know')."""
MAX_QUESTION_CHARS = 500
_HEADING = re.compile(r"^(?:\s*·\s*[^：:。]{1,30})?\s*[：:]\s*")
_TIME_KINDS = {"day", "hour", "minute", "week", "month", "year"}


def _clean_passages(passages: Any, min_score: float) -> list[dict[str, Any]]:
    """Well-formed passages at or above `min_score`, best first (bad entries are skipped)."""
    out = []
    for p in passages if isinstance(passages, list) else []:
        if not isinstance(p, dict) or not str(p.get("text") or "").strip() or not p.get("policy_id"):
            continue
        try:
            score = float(p.get("score", 1.0))
        except (TypeError, ValueError):
            continue
        if score >= min_score:
            out.append({**p, "score": score})
    out.sort(key=lambda p: -p["score"])
    return out[:4]


def _expanded(passages: list[dict[str, Any]], expand: ExpandFn | None, top: int = 1) -> list[dict[str, Any]]:
    """The best passages widened to their policy's full text (same id and version), when possible."""
    if expand is None:
        return passages
    out = []
    for rank, p in enumerate(passages):
        if rank < top:
            try:
                full = expand(str(p["policy_id"]), int(p.get("version") or 0))
            except Exception:  # noqa: BLE001 - an unknown id or an unreachable store: keep the retrieved chunk
                full = None
            if isinstance(full, str) and full.strip():
                p = {**p, "text": full, "retrieved": p["text"]}
        out.append(p)
    return out


def _prefer_language(passages: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Passages written in the reply language when there are any, else all of them."""
    same = [p for p in passages if is_cjk_text(p["text"]) == (lang == "zh")]
    return same or passages


def _finish(sentence: str, lang: str) -> str:
    sentence = sentence.strip()
    if sentence and sentence[-1] not in "。！？.!?；;":
        sentence += "。" if is_cjk_text(sentence) else "."
    return sentence


def _figures(sentences: list[str], lang: str, kinds: set[str] | None = None) -> str:
    """Figures of `sentences` with their units: as written in Chinese, translated units in English."""
    units_en = section("units", "en")
    items: list[str] = []
    for sentence in sentences:
        for fig in figure_spans(sentence, kinds):
            if lang == "zh":
                item = fig.text
            else:
                value = fig.low if fig.high is None else f"{fig.low}-{fig.high}"
                unit = units_en.get(fig.unit.lower(), fig.unit)
                item = f"¥{value}" if fig.kind == "money" else f"{value}{'' if unit == '%' else ' '}{unit}"
            if item not in items:
                items.append(item)
    return ("、" if lang == "zh" else ", ").join(items)


def _drop_heading(sentence: str, title: str) -> str:
    """Remove the 'Title · Section：' prefix that knowledge-base chunks carry."""
    if title and sentence.startswith(title):
        match = _HEADING.match(sentence[len(title):])
        if match and len(sentence) > len(title) + match.end() + 4:
            return sentence[len(title) + match.end():]
    return sentence


def _body(chosen: list[Candidate], passages: list[dict[str, Any]], lang: str, intent: str | None) -> list[str]:
    policy = section("policy", lang)
    sentences = [_finish(_drop_heading(c.sentence, str(passages[c.passage_rank].get("title") or "")), lang)
                 for c in chosen]
    title = str(passages[chosen[0].passage_rank].get("title") or "")
    if lang == "en" and all(is_cjk_text(s) for s in sentences):
        parts = [policy["zh_only_note"], " ".join(sentences)]
        figures = _figures([c.sentence for c in chosen], "en")
        return parts + ([policy["key_facts"].format(facts=figures)] if figures else [])
    intros, topic = section("intro", lang), (REGISTRY[intent].topic if intent in REGISTRY else {}).get(lang)
    intro = intros["topic"].format(topic=topic) if topic else intros["default"].format(title=title)
    return [intro + ("" if lang == "zh" else " ") + ("" if lang == "zh" else " ").join(sentences)]


def _citations(chosen: list[Candidate], passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for c in chosen:
        p = passages[c.passage_rank]
        seen.setdefault(str(p["policy_id"]), {"policy_id": str(p["policy_id"]), "version": int(p.get("version") or 0)})
    return list(seen.values())


def compose_policy_answer(
    question: str,
    passages: list[dict[str, Any]],
    *,
    language: str,
    emotion: dict[str, Any] | None,
    intent: str | None,
    trend: str = "flat",
    min_score: float = MIN_PASSAGE_SCORE,
    expand: ExpandFn | None = None,
) -> dict[str, Any]:
    """Answer a policy question from `passages` only: {"text", "citations", "grounded"} (no tone opening).

    The emotion shapes the body: an angry customer gets the concrete next step first and fewer sentences,
    an anxious one the time frame first. `expand(policy_id, version) -> full text` (e.g. from
    KnowledgeBase.get) lets the composer read the whole cited version of the best policy instead of
    the retrieved chunk alone."""
    lang = reply_language(language)
    policy = section("policy", lang)
    key = tone_key(emotion, trend)
    question = normalise(question)[:MAX_QUESTION_CHARS]
    usable = _expanded(_prefer_language(_clean_passages(passages, min_score), lang), expand)
    chosen = select_sentences(question, usable, intent, limit=2 if key.startswith("angry") else 3) if question else []
    if not chosen:
        return {"text": policy["unknown"], "citations": [], "grounded": False}
    parts = _body(chosen, usable, lang, intent)
    if key.startswith("angry"):
        parts = [policy["next_step"]] + parts
    elif key.startswith("anxious") and (
            frame := _figures([max(chosen, key=lambda c: c.score).sentence], lang, _TIME_KINDS)):
        parts = [policy["timeframe"].format(facts=frame)] + parts
    else:
        parts = parts + [policy["closing"]]
    return {"text": _join(parts, lang), "citations": _citations(chosen, usable), "grounded": True}


def _join(parts: list[str], lang: str) -> str:
    return ("" if lang == "zh" else " ").join(p for p in parts if p).strip()


def answer_policy_question(
    question: str,
    passages: list[dict[str, Any]],
    *,
    language: str,
    emotion: dict[str, Any] | None,
    intent: str | None,
    trend: str = "flat",
    opening: str = "",
    cache: AnswerCache | None = None,
    current_versions: VersionsFn | None = None,
    settings: LLMSettings | None = None,
    context: dict[str, Any] | None = None,
    expand: ExpandFn | None = None,
) -> dict[str, Any]:
    """The policy reply of a turn: {"text", "citations", "grounded", "tier", "cache": "hit"|"miss"|"off",
    "fallback_reason"?}. `opening` (graph/reply/tone.py) goes in front of the answer, before any LLM
    rewrite. The cache holds tone-free answers of calm customers; angry or anxious customers get a freshly
    composed answer (next step or time frame first).

    Pass `current_versions=kb.versions_of` and `expand=lambda pid, v: kb.get(pid, v)["body"]`."""
    key = f"{intent or 'other'}:{reply_language(language)}"
    calm = not tone_key(emotion, trend).startswith(("angry", "anxious"))
    use_cache = cache is not None and current_versions is not None and calm
    if use_cache:
        hit = cache.get(key, question, current_versions, context=context)  # type: ignore[union-attr,arg-type]
        if hit is not None:
            return {**hit, "text": with_opening(opening, hit["text"], language), "grounded": True, "cache": "hit"}
    composed = compose_policy_answer(question, passages, language=language, emotion=emotion, intent=intent,
                                     trend=trend, expand=expand)
    draft = with_opening(opening, composed["text"], language)
    result = {**composed, "text": draft, "tier": "composer", "cache": "miss" if use_cache else "off"}
    if settings is not None and composed["grounded"]:
        llm_context = {**(context or {}), "question": question, "language": language, "emotion": emotion,
                       "intent": intent, "passages": passages, "trend": trend}
        result.update(generate_reply(settings=settings, draft=draft, context=llm_context))
    if use_cache and composed["grounded"]:
        # Only the composer's draft is cached, never an LLM rewrite: the grounding check verifies numbers only,
        # so a rewrite shown to one shopper is not served to others; every sentence of a draft is a cited one.
        cache.put(key, question, {"text": composed["text"], "tier": "composer"},  # type: ignore[union-attr]
                  composed["citations"], context=context)
    return result


def ask_policy_question(settings: LLMSettings, policies: PolicyBase, question: str, *, language: str | None = None,
                        intent: str | None = None) -> dict[str, Any]:
    """One policy question end to end against the shop's knowledge base and the configured LLM
    (used by `kefu llm ask` to check a deployment): the retrieve node's query and search, then the
    respond node's composition, LLM and grounding check."""
    import time

    from graph.nodes.retrieve import find_passages
    from knowledge.language import detect_language

    language = language or detect_language(question)
    started = time.perf_counter()
    query, passages = find_passages(policies, question, [], {})
    answer = answer_policy_question(query, passages, language=language, emotion=None, intent=intent,
                                    settings=settings, expand=lambda pid, v: policies.get(pid, v)["body"])
    return {"reply": answer["text"], "tier": answer.get("tier", "composer"),
            "fallback_reason": answer.get("fallback_reason"), "grounded": answer["grounded"],
            "citations": answer["citations"], "language": language,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
