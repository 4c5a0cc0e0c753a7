"""Keyword intent baseline and lexicon emotion scorer.

The keyword list is the fallback intent classifier when no trained artifact is found; the emotion
lexicon is both the fallback emotion classifier and a source of cue features for the trained one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from graph.intents import REGISTRY
from graph.nlu.labels import EMOTIONS

LEXICON_DIR = Path(__file__).parent / "lexicon"
CUE_EMOTIONS = ("angry", "anxious", "positive")


@dataclass(frozen=True)
class KeywordIntents:
    """First-match keyword classifier over an ordered list of (intent, pattern)."""

    rules: tuple[tuple[str, re.Pattern[str]], ...]

    def predict(self, text: str) -> tuple[str, float]:
        """(intent, confidence); `other` when no rule fires."""
        for intent, pattern in self.rules:
            if pattern.search(text):
                return intent, 0.6
        return "other", 0.5


@lru_cache(maxsize=1)
def keyword_intents() -> KeywordIntents:
    """The keyword baseline: the registry's `keywords` patterns, lowest `keyword_rank` first."""
    rows = sorted((i for i in REGISTRY.values() if i.keywords), key=lambda i: i.keyword_rank or 0)
    return KeywordIntents(tuple((i.name, re.compile(str(i.keywords), re.IGNORECASE)) for i in rows))


@dataclass(frozen=True)
class EmotionLexicon:
    """Weighted cue words per emotion plus intensifiers."""

    cues: dict[str, tuple[tuple[str, float], ...]]
    intensifiers: tuple[tuple[str, float], ...]

    def scores(self, text: str) -> dict[str, float]:
        """Strongest cue weight per emotion (angry, anxious, positive) and the intensifier boost."""
        low = text.lower()
        out = {emo: max((w for cue, w in cues if cue in low), default=0.0) for emo, cues in self.cues.items()}
        out["boost"] = min(0.3, sum(w for cue, w in self.intensifiers if cue in low))
        return out

    def predict(self, text: str) -> tuple[str, float]:
        """(emotion, intensity) from the cues alone; neutral when none fires."""
        scores = self.scores(text)
        label = max(CUE_EMOTIONS, key=lambda e: scores[e])
        if scores[label] <= 0.0:
            return "neutral", 0.0
        return label, round(min(1.0, scores[label] + scores["boost"]), 2)


@lru_cache(maxsize=1)
def emotion_lexicon() -> EmotionLexicon:
    """The emotion lexicon loaded from lexicon/emotion.yaml."""
    raw = yaml.safe_load((LEXICON_DIR / "emotion.yaml").read_text(encoding="utf-8"))
    cues = {emo: tuple((str(k).lower(), float(v)) for k, v in raw[emo].items()) for emo in CUE_EMOTIONS}
    boosts = tuple((str(k), float(v)) for k, v in raw["intensifiers"].items())
    if set(cues) | {"neutral"} != set(EMOTIONS):
        raise ValueError("emotion lexicon labels differ from the taxonomy")
    return EmotionLexicon(cues, boosts)
