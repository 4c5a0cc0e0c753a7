"""Scoring the front tier on labelled messages: the one scorer the benchmark, the training report,
the dev report and the evals suite share."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.nlu.labels import EMOTIONS, INTENTS

STRONG = 0.7
"""Intensity at which the reply's tone treats an emotion as strong (graph/reply)."""
HANDOFF_ANGER = 0.8
"""The default anger handoff threshold (app/settings.py handoff_anger_intensity)."""


def _emotion(ex: dict[str, Any]) -> tuple[str | None, float | None]:
    """(label, intensity) of an example: `emotion` as {label, intensity} or as a label with `intensity` beside it."""
    value = ex.get("emotion")
    if isinstance(value, dict):
        intensity = value.get("intensity")
        return value.get("label"), None if intensity is None else float(intensity)
    if isinstance(value, str):
        return value, float(ex["intensity"]) if ex.get("intensity") is not None else None
    return None, None


def _entity_keys(entities: Iterable[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((str(e["type"]), str(e["value"])) for e in entities)


def expected_calibration_error(confidences: list[float], correct: list[bool], bins: int = 10) -> float:
    """Average |accuracy - confidence| over confidence bins, weighted by bin size."""
    if not confidences:
        return 0.0
    conf, ok = np.array(confidences), np.array(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            total += sel.mean() * abs(ok[sel].mean() - conf[sel].mean())
    return float(total)


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


@dataclass
class _Tally:
    """Running counts of one evaluation."""

    n: int = 0
    hits: int = 0
    asked: int = 0
    asked_wrong: int = 0
    lang_n: int = 0
    lang_hits: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    confs: list[float] = field(default_factory=list)
    correct: list[bool] = field(default_factory=list)
    confusion: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    emotions: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    abs_err: list[float] = field(default_factory=list)
    strong: Counter[str] = field(default_factory=Counter)  # gold/pred pairs of "angry >= handoff threshold"
    tone: Counter[str] = field(default_factory=Counter)  # gold/pred pairs of "angry or anxious >= STRONG"

    def add(self, ex: dict[str, Any], out: dict[str, Any]) -> None:
        self.n += 1
        ok = out["intent"] == ex["intent"]
        self.hits += ok
        self.confs.append(float(out["confidence"]))
        self.correct.append(ok)
        self.confusion[ex["intent"]][out["intent"]] += 1
        asked = bool(out.get("ask"))
        self.asked += asked
        self.asked_wrong += asked and not ok
        if "entities" in ex:
            gold, pred = _entity_keys(ex["entities"]), _entity_keys(out["entities"])
            common = sum((gold & pred).values())
            self.tp += common
            self.fp += sum(pred.values()) - common
            self.fn += sum(gold.values()) - common
        label, intensity = _emotion(ex)
        if label:
            self.emotions[label][out["emotion"]["label"]] += 1
            if intensity is not None:
                self.abs_err.append(abs(float(out["emotion"]["intensity"]) - intensity))
                read = out["emotion"]
                gold_strong = label == "angry" and intensity >= HANDOFF_ANGER
                pred_strong = read["label"] == "angry" and read["intensity"] >= HANDOFF_ANGER
                self.strong[f"{int(gold_strong)}{int(pred_strong)}"] += 1
                gold_tone = label in ("angry", "anxious") and intensity >= STRONG
                pred_tone = read["label"] in ("angry", "anxious") and read["intensity"] >= STRONG
                self.tone[f"{int(gold_tone)}{int(pred_tone)}"] += 1
        if ex.get("language"):
            self.lang_n += 1
            self.lang_hits += out["language"] == ex["language"]


def evaluate_nlu(nlu: Any, examples: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """intent_accuracy, intent_macro_f1, entity_f1/precision/recall (type + normalised value),
    emotion_accuracy, angry_recall, anxious_recall, emotion_recall per label, intensity_mae,
    anger_handoff precision/recall (angry at or above 0.8, gold vs read), strong_tone precision/recall
    (angry or anxious at or above 0.7), language_accuracy,
    intent_ece, ask_rate, ask_rate_when_right/_when_wrong, accuracy_when_not_asked, per-intent F1
    and the confusion matrix {gold: {predicted: count}}. Examples need `text` and `intent`; other
    labels are optional."""
    tally = _Tally()
    for ex in examples:
        tally.add(ex, nlu.analyze(ex["text"]))
    return report(tally)


def report(t: _Tally) -> dict[str, Any]:
    """The figures of a finished tally."""
    precision = t.tp / (t.tp + t.fp) if t.tp + t.fp else 1.0
    recall = t.tp / (t.tp + t.fn) if t.tp + t.fn else 1.0
    per_intent = _per_intent_f1(t.confusion)
    recalls = {e: round(_share(t.emotions[e][e], sum(t.emotions[e].values())), 4) for e in EMOTIONS if t.emotions[e]}
    emo_n = sum(sum(row.values()) for row in t.emotions.values())
    wrong = t.n - t.hits
    return {
        "n": t.n,
        "intent_accuracy": _share(t.hits, t.n),
        "intent_macro_f1": float(np.mean(list(per_intent.values()))) if per_intent else 0.0,
        "entity_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "entity_precision": precision,
        "entity_recall": recall,
        "emotion_accuracy": _share(sum(t.emotions[e][e] for e in t.emotions), emo_n),
        "angry_recall": recalls.get("angry", 0.0),
        "anxious_recall": recalls.get("anxious", 0.0),
        "intensity_mae": float(np.mean(t.abs_err)) if t.abs_err else 0.0,
        "anger_handoff_precision": _share(t.strong["11"], t.strong["11"] + t.strong["01"]),
        "anger_handoff_recall": _share(t.strong["11"], t.strong["11"] + t.strong["10"]),
        "strong_tone_precision": _share(t.tone["11"], t.tone["11"] + t.tone["01"]),
        "strong_tone_recall": _share(t.tone["11"], t.tone["11"] + t.tone["10"]),
        "language_accuracy": _share(t.lang_hits, t.lang_n),
        "intent_ece": expected_calibration_error(t.confs, t.correct),
        "ask_rate": _share(t.asked, t.n),
        "ask_rate_when_right": _share(t.asked - t.asked_wrong, t.hits),
        "ask_rate_when_wrong": _share(t.asked_wrong, wrong),
        "accuracy_when_not_asked": _share(t.hits - (t.asked - t.asked_wrong), t.n - t.asked),
        "emotion_recall": recalls,
        "per_intent_f1": per_intent,
        "confusion": {gold: dict(row) for gold, row in sorted(t.confusion.items())},
    }


def _per_intent_f1(confusion: dict[str, Counter[str]]) -> dict[str, float]:
    out = {}
    for intent in INTENTS:
        tp = confusion.get(intent, Counter())[intent]
        predicted = sum(row[intent] for row in confusion.values())
        actual = sum(confusion.get(intent, Counter()).values())
        if not actual and not predicted:
            continue
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        out[intent] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return out
