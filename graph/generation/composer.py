"""The grounded composer: policy answers built only from the sentences of the cited passages.

It is the default writer when no LLM is configured and the fallback when the LLM fails. Every
fact it states is a sentence (or a figure) of a retrieved policy; with no relevant passage it says
plainly that it does not know and offers a human.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graph.generation.data import load_yaml
from graph.generation.numbers import figure_spans
from graph.generation.selection import Candidate, select_sentences
from graph.generation.text import is_cjk_text, normalise
from graph.generation.tone import reply_language, tone_key, tone_opening

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
    units_en = load_yaml("templates/replies.yaml")["units_en"]
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
    texts = load_yaml("templates/replies.yaml")
    sentences = [_finish(_drop_heading(c.sentence, str(passages[c.passage_rank].get("title") or "")), lang)
                 for c in chosen]
    title = str(passages[chosen[0].passage_rank].get("title") or "")
    if lang == "en" and all(is_cjk_text(s) for s in sentences):
        parts = [texts["zh_only_note"]["en"], " ".join(sentences)]
        figures = _figures([c.sentence for c in chosen], "en")
        return parts + ([texts["key_facts"]["en"].format(facts=figures)] if figures else [])
    intros = texts["intro"][lang]
    intro = intros.get(intent or "", intros["default"]).format(title=title)
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
    """Answer a policy question from `passages` only: {"text", "citations", "grounded", "body", "opening"}.

    `expand(policy_id, version) -> full text` (e.g. from KnowledgeBase.get) lets the composer read the
    whole cited version of the best policy instead of the retrieved chunk alone."""
    lang = reply_language(language)
    texts = load_yaml("templates/replies.yaml")
    key = tone_key(emotion, trend)
    opening = tone_opening(emotion, language, trend)
    question = normalise(question)[:MAX_QUESTION_CHARS]
    usable = _expanded(_prefer_language(_clean_passages(passages, min_score), lang), expand)
    chosen = select_sentences(question, usable, intent, limit=2 if key.startswith("angry") else 3) if question else []
    if not chosen:
        body = texts["unknown"][lang]
        return {"text": _join([opening, body], lang), "citations": [], "grounded": False, "body": body,
                "opening": opening}
    parts = _body(chosen, usable, lang, intent)
    if key.startswith("angry"):
        parts = [texts["next_step"][lang]] + parts
    elif key.startswith("anxious") and (frame := _figures([max(chosen, key=lambda c: c.score).sentence], lang, _TIME_KINDS)):
        parts = [texts["timeframe"][lang].format(facts=frame)] + parts
    else:
        parts = parts + [texts["closing"][lang]]
    body = _join(parts, lang)
    return {"text": _join([opening, body], lang), "citations": _citations(chosen, usable), "grounded": True,
            "body": body, "opening": opening}


def _join(parts: list[str], lang: str) -> str:
    return ("" if lang == "zh" else " ").join(p for p in parts if p).strip()
