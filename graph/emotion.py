"""The customer's emotion trajectory, as the escalation rules and the tone of replies read it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

Trend = Literal["rising", "falling", "flat"]
NEGATIVE = ("angry", "anxious")


def current_emotion(history: Sequence[Any] | None) -> dict[str, Any] | None:
    """The emotion of the last customer message (label, intensity, turn), or None before any."""
    return dict(history[-1]) if history else None


def emotion_trend(history: Sequence[Any] | None, window: int = 3) -> Trend:
    """'rising', 'falling' or 'flat' from an emotion trajectory (negative emotions count up)."""
    def weight(entry: dict[str, Any]) -> float:
        sign = 1.0 if entry.get("label") in NEGATIVE else 0.0
        return sign * float(entry.get("intensity") or 0.0)

    recent = [weight(e) for e in (history or [])[-window:] if isinstance(e, dict)]
    if len(recent) < 2:
        return "flat"
    delta = recent[-1] - recent[0]
    return "rising" if delta > 0.15 else "falling" if delta < -0.15 else "flat"


def angry_at_least(history: Sequence[Any] | None, level: float) -> bool:
    """The last message is angry with an intensity of at least `level`."""
    last = current_emotion(history) or {}
    return last.get("label") == "angry" and float(last.get("intensity") or 0.0) >= level
