"""Emotion-adapted openings shared by the policy composer and the action-reply composer."""

from __future__ import annotations

from typing import Any

from graph.generation.data import load_yaml

STRONG_INTENSITY = 0.7
"""Intensity from which anger or anxiety gets the stronger opening."""


def reply_language(language: str | None) -> str:
    """Language a reply is written in: English for 'en', Chinese for 'zh', 'mixed' and unknown."""
    return "en" if (language or "").lower() == "en" else "zh"


def emotion_trend(history: list[dict[str, Any]] | None, window: int = 3) -> str:
    """'rising', 'falling' or 'flat' from an emotion trajectory (negative emotions count up)."""
    def weight(entry: dict[str, Any]) -> float:
        sign = 1.0 if entry.get("label") in ("angry", "anxious") else 0.0
        return sign * float(entry.get("intensity") or 0.0)

    recent = [weight(e) for e in (history or [])[-window:] if isinstance(e, dict)]
    if len(recent) < 2:
        return "flat"
    delta = recent[-1] - recent[0]
    return "rising" if delta > 0.15 else "falling" if delta < -0.15 else "flat"


def tone_key(emotion: dict[str, Any] | None, trend: str = "flat") -> str:
    """The template key of an opening: angry_strong, angry_rising, angry, anxious_strong, ... neutral."""
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
    """Opening sentence for the customer's emotion ('' when neutral), in the reply language."""
    texts = load_yaml("templates/replies.yaml")["tone"][reply_language(language)]
    return str(texts.get(tone_key(emotion, trend), ""))
