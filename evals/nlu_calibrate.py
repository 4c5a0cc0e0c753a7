"""Fitting how the emotion head is read on the dev sets: label offsets and the intensity scale.

Used by `python -m evals.nlu_dev --calibrate-emotion` (see there). The emotion head is trained on
generated messages whose emotion mix and intensity scale differ from real text; a few numbers fitted
on messages nobody here wrote bring them back: one log-prior offset per label (balanced recall and
accuracy, each dev set weighted alike) and a monotone intensity map that matches the quantiles of the
raw intensity to those of the written one, over messages whose emotion was read right. Quantile
matching keeps the spread (a least-squares or isotonic fit pulls everything to the middle), so the
share of messages read at or above the tone (0.7) and handoff (0.8, 0.9) thresholds matches the share
written there.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from graph.nlu.entities import extract_entities
from graph.nlu.evaluate import _emotion
from graph.nlu.labels import EMOTIONS
from graph.nlu.text import clean, model_view

GRID = np.arange(-1.0, 3.51, 0.25)
KNOTS = 9



Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def raw_readings(classifier: Any, examples: list[dict[str, Any]]) -> Arrays:
    """(log-probabilities (n, 4), dense blocks (n, dim), raw intensities, gold label indices, gold
    intensities) of examples that carry an emotion label."""
    logits, dense, raws, gold, gold_i = [], [], [], [], []
    for ex in examples:
        label, intensity = _emotion(ex)
        if label not in EMOTIONS:
            continue
        view = model_view(clean(str(ex["text"])))
        if not view:
            continue
        lp, block, raw = classifier.emotion_inputs(view, extract_entities(view))
        logits.append(lp)
        dense.append(block)
        raws.append(raw)
        gold.append(EMOTIONS.index(label))
        gold_i.append(intensity if intensity is not None else np.nan)
    return np.array(logits), np.array(dense), np.array(raws), np.array(gold), np.array(gold_i, dtype=float)


def _score(pred: np.ndarray, gold: np.ndarray) -> float:
    recalls = [float((pred[gold == k] == k).mean()) for k in range(len(EMOTIONS)) if (gold == k).any()]
    return 0.5 * float(np.mean(recalls)) + 0.5 * float((pred == gold).mean())


def fit_offsets(sets: list[tuple[np.ndarray, np.ndarray]]) -> tuple[list[float], float, float]:
    """Offsets (neutral fixed at 0) maximising the mean over sets of (balanced recall + accuracy) / 2;
    returns (offsets, score before, score after)."""
    def total(offsets: np.ndarray) -> float:
        return float(np.mean([_score((lp + offsets).argmax(axis=1), gold) for lp, gold in sets]))

    zero = np.zeros(len(EMOTIONS))
    best, best_score = zero, total(zero)
    before = best_score
    for combo in itertools.product(GRID, repeat=len(EMOTIONS) - 1):
        offsets = np.array((0.0, *combo))
        score = total(offsets)
        if score > best_score + 1e-9:
            best, best_score = offsets, score
    return [round(float(x), 3) for x in best], round(before, 4), round(best_score, 4)


def fit_intensity(raw: np.ndarray, gold: np.ndarray) -> tuple[list[float], list[float]]:
    """Knots (xs, ys) of the monotone map sending each quantile of the raw intensity to the same
    quantile of the written intensity."""
    probs = np.linspace(0, 1, KNOTS)
    xs, ys = np.quantile(raw, probs), np.clip(np.quantile(gold, probs), 0.1, 1.0)
    keep = np.concatenate([[True], np.diff(xs) > 1e-6])
    return [round(float(x), 4) for x in xs[keep]], [round(float(y), 4) for y in ys[keep]]


def calibrate(classifier: Any, sets: dict[str, list[dict[str, Any]]], stack: bool = False) -> dict[str, Any]:
    """The emotion calibration for these dev sets, with the figures that justify it; with `stack`,
    the stack (emotion_stack.py), mixed with the offset head, reads the label."""
    readings = {name: raw_readings(classifier, examples) for name, examples in sets.items()}
    readings = {name: r for name, r in readings.items() if len(r[3])}
    fitted: dict[str, Any] = {}
    offsets, before, after = fit_offsets([(lp, gold) for lp, _, _, gold, _ in readings.values()])
    chosen = {n: (r[0] + np.array(offsets)).argmax(axis=1) for n, r in readings.items()}
    if stack:
        from evals.emotion_stack import KEEP_FLOOR, WEIGHT, cross_fit, fit_stack, mixed_choice

        names = list(readings)
        parts = [(readings[n][0], readings[n][1], readings[n][3]) for n in names]
        w, b = fit_stack(parts, names)
        fitted["stack"] = {"w": [[round(float(x), 5) for x in row] for row in w],
                           "b": [round(float(x), 5) for x in b], "weight": WEIGHT,
                           "keep": [EMOTIONS.index("angry"), KEEP_FLOOR]}
        fitted["cross_fit"] = cross_fit(parts, names, np.array(offsets))
        chosen = {n: mixed_choice(w, b, r[0], r[1], np.array(offsets)) for n, r in readings.items()}
        after = round(float(np.mean([_score(chosen[n], r[3]) for n, r in readings.items()])), 4)
    raws, golds = [], []
    for name, (_, _, raw, gold, gold_i) in readings.items():
        right = (chosen[name] == gold) & (gold != 0) & ~np.isnan(gold_i)
        raws.append(raw[right])
        golds.append(gold_i[right])
    xs, ys = fit_intensity(np.concatenate(raws), np.concatenate(golds))
    return {"offsets": offsets, "xs": xs, "ys": ys, **fitted, "fit": {"score_before": before, "score_after": after}}


INTENT_GRID = np.arange(-0.75, 0.76, 0.25)  # bounded: a prior tips close readings, it does not overrule the head
INTENT_PENALTY = 0.002  # per unit of |offset|: an offset must buy accuracy to be kept


def raw_intents(classifier: Any, examples: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """(log-probabilities of the intent head before any prior (n, k), gold indices) of examples whose
    intent is a label of the head."""
    labels = list(classifier.heads["intent"].labels)
    rows = [(model_view(clean(str(ex["text"]))), ex.get("intent")) for ex in examples]
    rows = [(view, labels.index(gold)) for view, gold in rows if view and gold in labels]
    views = [view for view, _ in rows]
    vectors = classifier.embedder.many(views) if classifier.embedder is not None and views else [None] * len(views)
    probs = [classifier.raw_intent(v, extract_entities(v), e) for v, e in zip(views, vectors, strict=True)]
    logp = np.log(np.clip(np.array(probs), 1e-12, 1.0)) if probs else np.zeros((0, len(labels)))
    return logp, np.array([gold for _, gold in rows], dtype=int)


def fit_intent_prior(sets: list[tuple[np.ndarray, np.ndarray]], passes: int = 3,
                     never_below: int | None = None) -> tuple[list[float], float, float]:
    """Log-prior offsets per intent maximising the mean accuracy over sets (each set weighted alike) less
    a small penalty on their size, by coordinate ascent over a grid; returns (offsets, before, after).
    `never_below`: the label whose offset stays >= 0 (`other`, the safe reading of unreadable input: a prior
    that pushes messages away from it reads gibberish and foreign scripts as requests)."""
    sets = [(lp, gold) for lp, gold in sets if len(gold)]
    k = sets[0][0].shape[1]

    def total(offsets: np.ndarray) -> float:
        accuracy = np.mean([float(((lp + offsets).argmax(axis=1) == gold).mean()) for lp, gold in sets])
        return float(accuracy) - INTENT_PENALTY * float(np.abs(offsets).sum())

    best = np.zeros(k)
    before = score = total(best)
    for _ in range(passes):
        for label in range(k):
            for value in INTENT_GRID[INTENT_GRID >= 0] if label == never_below else INTENT_GRID:
                trial = best.copy()
                trial[label] = value
                if (trial_score := total(trial)) > score + 1e-9:
                    best, score = trial, trial_score
    return [round(float(x), 3) for x in best], round(before, 4), round(score, 4)


def calibrate_intent(classifier: Any, sets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The intent prior for these dev sets, with the figures that justify it."""
    labels = classifier.heads["intent"].labels
    other = list(labels).index("other") if "other" in labels else None
    offsets, before, after = fit_intent_prior([raw_intents(classifier, examples) for examples in sets.values()],
                                              never_below=other)
    shown = {label: x for label, x in zip(labels, offsets, strict=True) if x}
    return {"offsets": offsets, "by_label": shown, "fit": {"score_before": before, "score_after": after}}
