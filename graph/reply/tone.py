"""The tone of a reply: one opening sentence chosen from the customer's emotion and its trend.

`opening(history, language)` decides it; `with_opening(opening, text, language)` puts it in front.
The respond node does this once for every reply (the policy answer gets it inside
`graph.reply.policy.answer_policy_question`, before any LLM rewrite); the handoff node does it for an
upset customer's handoff notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.emotion import current_emotion, emotion_trend
from graph.reply.wording import reply_language, section

STRONG_INTENSITY = 0.7
"""Intensity from which anger or anxiety gets the stronger opening."""


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


def tone_opening(emotion: dict[str, Any] | None, language: str, trend: str = "flat") -> str:
    """Opening sentence for one emotion ('' when neutral), in the reply language."""
    return str(section("tone", language).get(tone_key(emotion, trend), ""))


def opening(history: Sequence[Any] | None, language: str, *, upset_only: bool = False) -> str:
    """The opening for a customer with this emotion trajectory ('' when none fits).
    `upset_only`: only angry and anxious customers get one (a handoff notice needs no cheer)."""
    emotion = current_emotion(history)
    if upset_only and (emotion or {}).get("label") not in ("angry", "anxious"):
        return ""
    return tone_opening(emotion, language, emotion_trend(history))


def with_opening(opening_text: str, text: str, language: str) -> str:
    """`text` with the opening in front (Chinese sentences join directly, English ones with a space)."""
    if not opening_text:
        return text
    joiner = "" if reply_language(language) == "zh" else " "
    return f"{opening_text}{joiner}{text}".strip()
