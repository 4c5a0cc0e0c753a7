"""Scoring the front tier on labelled messages: the one scorer the benchmark, the training report
and the evals suite share."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

from graph.nlu.labels import INTENTS


def _emotion_label(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("label")
    return value if isinstance(value, str) else None


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


def evaluate_nlu(nlu: Any, examples: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """intent_accuracy, entity_f1/precision/recall (type + normalised value), emotion_accuracy,
    intensity_mae, language_accuracy, intent_ece, per-intent F1 and the confusion matrix
    {gold: {predicted: count}}. Examples need `text` and `intent`; other labels are optional."""
    n = hits = emo_n = emo_hits = lang_n = lang_hits = tp = fp = fn = 0
    abs_err: list[float] = []
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    confs: list[float] = []
    correct: list[bool] = []
    for ex in examples:
        out = nlu.analyze(ex["text"])
        n += 1
        ok = out["intent"] == ex["intent"]
        hits += ok
        confs.append(float(out["confidence"]))
        correct.append(ok)
        confusion[ex["intent"]][out["intent"]] += 1
        if "entities" in ex:
            gold, pred = _entity_keys(ex["entities"]), _entity_keys(out["entities"])
            common = sum((gold & pred).values())
            tp, fp, fn = tp + common, fp + sum(pred.values()) - common, fn + sum(gold.values()) - common
        gold_emotion = _emotion_label(ex.get("emotion"))
        if gold_emotion:
            emo_n += 1
            emo_hits += out["emotion"]["label"] == gold_emotion
            if isinstance(ex["emotion"], dict) and "intensity" in ex["emotion"]:
                abs_err.append(abs(float(out["emotion"]["intensity"]) - float(ex["emotion"]["intensity"])))
        if ex.get("language"):
            lang_n += 1
            lang_hits += out["language"] == ex["language"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "n": n,
        "intent_accuracy": hits / n if n else 0.0,
        "entity_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "entity_precision": precision,
        "entity_recall": recall,
        "emotion_accuracy": emo_hits / emo_n if emo_n else 0.0,
        "intensity_mae": float(np.mean(abs_err)) if abs_err else 0.0,
        "language_accuracy": lang_hits / lang_n if lang_n else 0.0,
        "intent_ece": expected_calibration_error(confs, correct),
        "per_intent_f1": _per_intent_f1(confusion),
        "confusion": {gold: dict(row) for gold, row in sorted(confusion.items())},
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
