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
from graph.generation.cases import Pick, select_cases
from graph.generation.numbers import figure_spans
from graph.generation.reply import generate_reply
from graph.generation.text import normalise
from graph.ports import LLMSettings, PolicyBase
from graph.reply.tone import tone_key, with_opening
from graph.reply.wording import reply_language, section
from knowledge.language import is_cjk_text

ExpandFn = Callable[[str, int], "str | None"]
MIN_PASSAGE_SCORE = 0.2
"""Passages scored below this by the knowledge base are not used (the answer says 'I don't know')."""
OTHER_MIN_SCORE = 0.25
"""A message NLU could not place is answered from the policies only when a passage scores this well (and is on
its topic, graph/relevance.py: a shared word, or a clause close in meaning)."""
OTHER_STATEMENT_MIN_SCORE = 0.3
"""The bar for an unplaced message that asks nothing (a remark, a complaint): a rule sharing one word with it
("你们尺码表不准啊" / the exchange rule's 尺码) is boilerplate there, not an answer (issue 21's judges)."""
MAX_QUESTION_CHARS = 500
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


def _expanded(passages: list[dict[str, Any]], expand: ExpandFn | None, top: int = 4) -> list[dict[str, Any]]:
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


_DANGLING_LEAD = re.compile(r"(?:^|[，,。；;]\s*)[^，,。；;]*[：:]\s*$")


def _pick_text(pick: Pick, lang: str) -> str:
    """One policy's clauses: "context：case；case。" for cases of a rule, else the clauses in turn. A lead
    whose list is not quoted ("各支付方式到账时间如下：") is left out: it would end the reply in "：。"."""
    items = [_DANGLING_LEAD.sub("", i.strip()).strip().rstrip("。.；;") for i in pick.items if i.strip()]
    items = [i for i in items if i]
    if not items:
        return ""
    sep = "；" if lang == "zh" or any(is_cjk_text(i) for i in items) else "; "
    if pick.context and (pick.listed or len(items) > 1 or not items[0].startswith(pick.context)):
        colon = "：" if is_cjk_text(pick.context) else ": "
        return _finish(pick.context.rstrip("：: ") + colon + sep.join(items), lang)
    return (" " if sep == "; " else "").join(_finish(i, lang) for i in items)


def _body(picks: list[Pick], passages: list[dict[str, Any]], lang: str) -> list[str]:
    """Each policy's clauses after its title; for an English reader, Chinese-only clauses are quoted with a
    note and their figures in English."""
    intros, policy = section("intro", lang), section("policy", lang)
    parts: list[str] = []
    noted, previous = False, None
    for pick in picks:
        text = _pick_text(pick, lang)
        if not text:
            continue
        if lang == "en" and is_cjk_text(text):
            figures = _figures([text], "en")
            parts += ([] if noted else [policy["zh_only_note"]]) + [text]
            parts += [policy["key_facts"].format(facts=figures)] if figures else []
            noted = True
        elif pick.passage_rank == previous:
            parts.append(text)
        else:
            intro = intros["default" if not parts else "also"].format(
                title=str(passages[pick.passage_rank].get("title") or ""))
            parts.append(intro + ("" if lang == "zh" else " ") + text)
        previous = pick.passage_rank
    return parts


def _citations(picks: list[Pick], passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for pick in picks:
        p = passages[pick.passage_rank]
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
    condition: str = "",
) -> dict[str, Any]:
    """Answer a policy question from `passages` only: {"text", "citations", "grounded", "clauses"}.

    The emotion shapes the body: an angry customer gets fewer sentences and the concrete next step (first when
    strongly or increasingly angry, after the answer when only mildly upset),
    an anxious one the time frame first. `expand(policy_id, version) -> full text` (e.g. from
    KnowledgeBase.get) lets the composer read the whole cited version of the best policy instead of
    the retrieved chunk alone. `condition` is what the dialogue already knows that may settle a case
    (the order in play: its items, status and payment method); the clauses that fit come first."""
    lang = reply_language(language)
    policy = section("policy", lang)
    key = tone_key(emotion, trend)
    question = normalise(question)[:MAX_QUESTION_CHARS]
    usable = _expanded(_clean_passages(passages, min_score), expand)
    picks = select_cases(question, usable, intent, condition) if question else []
    if not picks:
        return {"text": policy["unknown"], "citations": [], "grounded": False, "clauses": []}
    if key.startswith("angry"):  # fewer sentences: the best policy, and a case the stated condition singles out
        picks = picks[:1] + [p for p in picks[1:] if p.by_condition][:1]
    parts = _body(picks, usable, lang)
    if key in ("angry_strong", "angry_rising"):  # really angry: what to do next first
        parts = [policy["next_step"]] + parts
    elif key == "angry":  # mildly upset (often a plain complaint): the answer first, then what to do next
        parts = parts + [policy["next_step"]]
    elif key.startswith("anxious") and (frame := _figures(picks[0].items, lang, _TIME_KINDS)):
        parts = [policy["timeframe"].format(facts=frame)] + parts
    else:
        parts = parts + [policy["closing"]]
    clauses = [{"policy_id": str(usable[p.passage_rank]["policy_id"]), "text": item}
               for p in picks for item in p.items]
    return {"text": _join(parts, lang), "citations": _citations(picks, usable), "grounded": True,
            "clauses": clauses}


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
    condition: str = "",
    min_score: float = MIN_PASSAGE_SCORE,
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
                                     trend=trend, expand=expand, condition=condition, min_score=min_score)
    draft = with_opening(opening, composed["text"], language)
    result = {**composed, "text": draft, "tier": "composer", "cache": "miss" if use_cache else "off"}
    if settings is not None and composed["grounded"]:
        llm_context = {**(context or {}), "question": question, "language": language, "emotion": emotion,
                       "intent": intent, "passages": _clauses_first(composed["clauses"], passages), "trend": trend}
        result.update(generate_reply(settings=settings, draft=draft, context=llm_context))
    if use_cache and composed["grounded"]:
        # Only the composer's draft is cached, never an LLM rewrite: the grounding check verifies numbers only,
        # so a rewrite shown to one shopper is not served to others; every sentence of a draft is a cited one.
        cache.put(key, question, {"text": composed["text"], "tier": "composer"},  # type: ignore[union-attr]
                  composed["citations"], context=context)
    return result


def _clauses_first(clauses: list[dict[str, Any]], passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The LLM's passages: the clauses that fit the customer's condition first, then the retrieved ones."""
    by_id = {str(p.get("policy_id")): p for p in passages if isinstance(p, dict)}
    chosen = [{**by_id.get(c["policy_id"], {}), "policy_id": c["policy_id"], "text": c["text"], "score": 1.0}
              for c in clauses]
    return chosen + [p for p in passages if isinstance(p, dict)]


def offer_to_act(intent: str | None, choices: list[dict[str, Any]], language: str) -> str:
    """After a rule answer: the customer's orders the rule's action could serve, and how to go on."""
    from graph.reply.actions import task_name
    from graph.reply.wording import status_name, text

    if not choices:
        return ""
    lines = [text("choice_line", language, order_id=c.get("order_id"), item=c.get("item", ""),
                  status=status_name(str(c.get("status", "")), language), total=c.get("total", ""))
             for c in choices]
    sep = section("line", language).get("list_sep", "；")
    return section("policy", language)["offer"].format(task=task_name(intent, language)) + sep.join(lines)


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
