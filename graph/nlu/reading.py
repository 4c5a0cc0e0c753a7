"""One message's reading by a classifier, and when that reading is too uncertain to act on.

A result lists the top intent readings (`candidates`, best first) and `ask`: true when the best
confidence is low or the runner-up close, so the graph asks one clarifying question with the two
readings as quick replies instead of guessing. The thresholds are tuned on the dev sets
(`python -m evals.nlu_dev --tune-ask`) and stored in the artifact's meta under `ask`.
"""

from __future__ import annotations

from dataclasses import dataclass

CANDIDATES = 3
"""How many intent readings a result lists (best first)."""


@dataclass(frozen=True)
class Reading:
    """What a classifier reads in one message: the best intent with its calibrated confidence, the
    runner-up readings (best first, the best included), and the emotion with its intensity."""

    intent: str
    confidence: float
    emotion: str
    intensity: float
    candidates: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class AskPolicy:
    """When a reading is too uncertain to act on: the best confidence is below `min_confidence`, or the
    runner-up is within `margin` of it. Tuned on the dev sets (evals.nlu_dev) and stored in the artifact."""

    min_confidence: float = 0.45
    margin: float = 0.12

    def ask(self, candidates: tuple[tuple[str, float], ...]) -> bool:
        """Whether these readings (best first) call for a clarifying question."""
        if len(candidates) < 2:
            return False
        (_, top), (_, second) = candidates[0], candidates[1]
        return top < self.min_confidence or top - second < self.margin
