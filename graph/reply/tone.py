"""The tone of a reply: one opening chosen from the customer's emotion, its trend and what the reply says.

`opening(history, language, content=...)` decides it once the content is known; `with_opening(opening,
text, language)` puts it in front. The opening never promises what the reply does not keep: "我直接告诉您
结论" (the `tone_promise` part) goes only in front of an answer, a result or a proposal, not in front of
a shop rule, a question, a refusal or an acknowledgement; a cheerful "很高兴为您服务" only in front of an
answer that is not about a complaint. The respond node does this once for every reply (the policy answer gets it inside
`graph.reply.policy.answer_policy_question`, before any LLM rewrite); the handoff node does it for an
upset customer's handoff notice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from graph.emotion import NEGATIVE, current_emotion, emotion_trend
from graph.reply.wording import reply_language, section

STRONG_INTENSITY = 0.7
"""Intensity from which anger or anxiety gets the stronger opening."""
Content = Literal["answer", "rule", "ask", "refusal", "ack", "greeting"]
"""What the reply does: gives an answer or result (or proposes a write), says a shop rule, asks for something,
says it cannot, acknowledges, or greets. A rule is no conclusion on the customer's own case: it gets the
opening but not the promise ("我这就给您一个明确的答复" before a rule and "which order?" is not kept)."""
_APOLOGY = re.compile(r"抱歉|sorry", re.I)
_LEADING_SORRY = re.compile(r"^(?:抱歉[，,]?|sorry[,.]?\s*)", re.I)


def tone_key(emotion: dict[str, Any] | None, trend: str = "flat") -> str:
    """The wording key of an opening: angry_strong, angry_rising, angry, anxious_strong, ... neutral."""
    if not isinstance(emotion, dict):
        return "neutral"
    label = str(emotion.get("label") or "neutral")
    try:
        intensity = float(emotion.get("intensity") or 0.0)
    except (TypeError, ValueError):
        intensity = 0.0
    if label == "angry":
        if trend == "rising":
            return "angry_rising"
        return "angry_strong" if intensity >= STRONG_INTENSITY else "angry"
    if label == "anxious":
        return "anxious_strong" if intensity >= STRONG_INTENSITY or trend == "rising" else "anxious"
    if label == "positive":
        return "positive"
    return "neutral"


def tone_opening(emotion: dict[str, Any] | None, language: str, trend: str = "flat", content: Content = "answer",
                 intent: str | None = None) -> str:
    """Opening sentence for one emotion and one kind of content ('' when none fits), in the reply language."""
    key = tone_key(emotion, trend)
    if key == "positive" and (content not in ("answer", "rule") or intent == "complaint"):
        return ""
    base = str(section("tone", language).get(key, ""))
    promise = str(section("tone_promise", language).get(key, "")) if content == "answer" else ""
    joiner = "" if reply_language(language) == "zh" else " "
    return joiner.join(part for part in (base, promise) if part)


def opening(history: Sequence[Any] | None, language: str, *, upset_only: bool = False,
            content: Content = "answer", intent: str | None = None) -> str:
    """The opening for a customer with this emotion trajectory and a reply of this `content` ('' when none
    fits). `upset_only`: only angry and anxious customers get one (a handoff notice needs no cheer)."""
    emotion = current_emotion(history)
    if upset_only and (emotion or {}).get("label") not in ("angry", "anxious"):
        return ""
    return tone_opening(emotion, language, _trend_on_problem(history), content, intent)


def _trend_on_problem(history: Sequence[Any] | None) -> str:
    """The emotion trend, 'rising' only when the customer was already upset on their last message (kefu has
    replied on the problem): "问题还没解决让您更着急了" is no opening for the turn the problem is first told."""
    trend = emotion_trend(history)
    before = history[-2] if history and len(history) >= 2 else None
    if trend == "rising" and not (isinstance(before, dict) and before.get("label") in NEGATIVE):
        return "flat"
    return trend


def with_opening(opening_text: str, text: str, language: str) -> str:
    """`text` with the opening in front (Chinese sentences join directly, English ones with a space); when
    both apologise, the text's own leading "抱歉，" goes."""
    if not opening_text:
        return text
    if _APOLOGY.search(opening_text) and _LEADING_SORRY.match(text):
        rest = _LEADING_SORRY.sub("", text, count=1)
        text = rest[:1].upper() + rest[1:] if reply_language(language) == "en" else rest
    joiner = "" if reply_language(language) == "zh" else " "
    return f"{opening_text}{joiner}{text}".strip()
