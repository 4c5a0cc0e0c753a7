"""Emotion from the situation a message describes (lexicon/situations.yaml).

The taxonomy labels emotion by the situation as well as the words: money taken but the order unpaid
is anxious, a promise broken is angry, a thanks attached to a request is positive. The training corpus
gives templates that carry no @tag of their own the emotion of the first situation their rendered text
matches, in the order angry, anxious, positive (the taxonomy's tie-breaks). At serving time the
situations are never rules: which one a message describes is a feature (features.cues) that the
trained emotion head weighs with everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from graph.nlu.baseline import LEXICON_DIR

SITUATIONS_PATH = LEXICON_DIR / "situations.yaml"
ORDER = ("angry", "anxious", "positive")


@dataclass(frozen=True)
class Situation:
    """One situation that carries an emotion."""

    emotion: str
    why: str
    pattern: re.Pattern[str]
    intensity: float
    unless: re.Pattern[str] | None = None

    def matches(self, text: str) -> bool:
        """The text describes this situation (and nothing that vetoes it)."""
        return bool(self.pattern.search(text)) and not (self.unless and self.unless.search(text))


@lru_cache(maxsize=1)
def situations(path: Path = SITUATIONS_PATH) -> tuple[Situation, ...]:
    """The situations of situations.yaml, angry first, then anxious, then positive."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(raw) - set(ORDER)
    if unknown:
        raise ValueError(f"{path.name}: unknown emotions {sorted(unknown)}")
    out = []
    for emotion in ORDER:
        for rule in raw.get(emotion) or []:
            veto = rule.get("unless")
            out.append(
                Situation(
                    emotion,
                    str(rule["why"]),
                    re.compile(rule["pattern"], re.IGNORECASE),
                    float(rule["intensity"]),
                    re.compile(veto, re.IGNORECASE) if veto else None,
                )
            )
    return tuple(out)


def situation_emotion(text: str) -> tuple[str, float, str] | None:
    """(emotion, intensity, why) of the first situation the text describes, or None."""
    for s in situations():
        if s.matches(text):
            return s.emotion, s.intensity, s.why
    return None


def situation_flags(text: str) -> list[float]:
    """One flag per emotion of ORDER: the text describes a situation that carries it."""
    found = {s.emotion for s in situations() if s.matches(text)}
    return [float(e in found) for e in ORDER]
