"""The voice signal of a voice message, fused with the text emotion.

Prosody (app/voice/prosody.py) gives pitch, pitch range, loudness and speaking rate. Arousal in [0, 1]
(0.5 = calm, as the shopper usually sounds) comes from those figures compared with the same shopper's
earlier voice turns in the session when there are any (people differ), else with broad population norms,
weighted less. The text decides between angry and anxious; arousal only moves the intensity, by at most
FUSION_WEIGHT / 2 either way. No licensed emotional-speech corpus could be fetched here to calibrate
these weights, so they are set conservatively by hand (a raised voice alone never makes a calm message
angry, and never crosses more than one tone step).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

# Without a baseline: (typical value, spread) of each figure for conversational Mandarin, and its weight.
NORMS: dict[str, tuple[float, float, float]] = {
    "rate_syll_s": (4.2, 1.2, 0.9),
    "loudness_db": (70.0, 6.0, 0.6),
    "pitch_range_st": (4.0, 2.5, 0.4),
}
# Against the shopper's own earlier voice turns: (difference that counts as one step, weight).
RELATIVE: dict[str, tuple[float, float]] = {
    "pitch_st": (2.0, 0.8),
    "loudness_db": (4.0, 0.7),
    "rate_syll_s": (0.8, 0.8),
    "pitch_range_st": (2.0, 0.3),
}
ABSOLUTE_WEIGHT_WITH_BASELINE = 0.4
"""Population norms still count a little once the shopper's own baseline is known."""
FUSION_WEIGHT = 0.4
HISTORY = 5
"""Earlier voice turns kept as the shopper's baseline."""


def _number(features: dict[str, Any], key: str) -> float | None:
    value = features.get(key)
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def baseline(history: Sequence[dict[str, Any]] | None) -> dict[str, float]:
    """Mean of each figure over the shopper's earlier voice turns (empty without any)."""
    out: dict[str, float] = {}
    for key in RELATIVE:
        values = [v for h in history or [] if (v := _number(h, key)) is not None]
        if values:
            out[key] = sum(values) / len(values)
    return out


def arousal(features: dict[str, Any], history: Sequence[dict[str, Any]] | None = None) -> float:
    """How activated the voice sounds, in [0, 1]; 0.5 when nothing can be measured."""
    base = baseline(history)
    score = 0.0
    absolute_weight = ABSOLUTE_WEIGHT_WITH_BASELINE if base else 1.0
    for key, (typical, spread, weight) in NORMS.items():
        if (value := _number(features, key)) is not None:
            score += absolute_weight * weight * max(-2.0, min(2.0, (value - typical) / spread))
    for key, (step, weight) in RELATIVE.items():
        if key in base and (value := _number(features, key)) is not None:
            score += weight * max(-2.0, min(2.0, (value - base[key]) / step))
    return round(1.0 / (1.0 + math.exp(-score)), 3)


def fuse(emotion: dict[str, Any], voice_arousal: float) -> dict[str, Any]:
    """The text emotion with its intensity moved by the voice's arousal (neutral text stays neutral)."""
    fused = dict(emotion)
    text_intensity = float(emotion.get("intensity") or 0.0)
    fused.update(text_intensity=text_intensity, voice_arousal=voice_arousal)
    if emotion.get("label") in ("angry", "anxious", "positive"):
        shift = FUSION_WEIGHT * (voice_arousal - 0.5)
        fused["intensity"] = round(max(0.05, min(1.0, text_intensity + shift)), 3)
    return fused
