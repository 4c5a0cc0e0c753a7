"""The NLU scorer: macro-F1, per-emotion recall, the anger handoff agreement, the ask rate."""

from __future__ import annotations

from typing import Any

import pytest

from graph.nlu.evaluate import evaluate_nlu


class Scripted:
    """Answers each text with a fixed result (a stand-in for the model in a scorer test)."""

    def __init__(self, answers: dict[str, tuple[str, str, float, bool]]) -> None:
        self.answers = answers

    def analyze(self, text: str) -> dict[str, Any]:
        intent, emotion, intensity, ask = self.answers[text]
        return {
            "intent": intent,
            "confidence": 0.9,
            "ask": ask,
            "entities": [],
            "emotion": {"label": emotion, "intensity": intensity},
            "language": "zh",
        }


EXAMPLES = [
    # gold: intent, emotion (as a label with intensity beside it, the blind sets' format)
    {"text": "a", "intent": "cancel_order", "emotion": "angry", "intensity": 0.9},
    {"text": "b", "intent": "cancel_order", "emotion": "anxious", "intensity": 0.5},
    {"text": "c", "intent": "return_request", "emotion": {"label": "angry", "intensity": 0.4}},
    {"text": "d", "intent": "greeting", "emotion": "neutral", "intensity": 0.0},
]
ANSWERS = {
    "a": ("cancel_order", "angry", 0.85, False),
    "b": ("return_request", "neutral", 0.0, True),  # wrong, and it asked
    "c": ("return_request", "angry", 0.9, False),  # anger over-read: a false handoff
    "d": ("greeting", "neutral", 0.0, False),
}


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    return evaluate_nlu(Scripted(ANSWERS), EXAMPLES)


def test_intent_figures(figures) -> None:
    assert figures["intent_accuracy"] == 0.75
    # cancel_order: p 1, r 0.5 -> 2/3; return_request: p 0.5, r 1 -> 2/3; greeting 1
    assert figures["intent_macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3, abs=1e-3)


def test_emotion_recall_per_label(figures) -> None:
    assert figures["angry_recall"] == 1.0 and figures["anxious_recall"] == 0.0
    assert figures["emotion_accuracy"] == 0.75
    assert figures["emotion_recall"] == {"neutral": 1.0, "anxious": 0.0, "angry": 1.0}


def test_anger_handoff_agreement(figures) -> None:
    assert figures["anger_handoff_recall"] == 1.0  # the one furious message is read as furious
    assert figures["anger_handoff_precision"] == 0.5  # and one mild one as furious too


def test_ask_rate(figures) -> None:
    assert figures["ask_rate"] == 0.25
    assert figures["ask_rate_when_wrong"] == 1.0 and figures["ask_rate_when_right"] == 0.0
    assert figures["accuracy_when_not_asked"] == 1.0
