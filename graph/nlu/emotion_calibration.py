"""How the front tier reads its emotion head: label offsets, an optional stack fitted on real
customers' messages, and the intensity map (all fitted on dev sets by evals.nlu_dev, stored in the
artifact's meta)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax over the last axis."""
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


@dataclass(frozen=True)
class EmotionCalibration:
    """How the emotion head's outputs are read, fitted on dev sets after training (evals.nlu_dev
    --calibrate-emotion): log-prior offsets per emotion label (added to the head's log-probabilities
    before the argmax, so the recall of under-read labels can be raised) and a monotone map of the raw
    intensity onto the intensity scale of real text (knots xs -> ys, linear in between).

    Optionally (--stack-emotion) a multinomial logistic regression fitted on the labelled messages of
    the dev sets reads the label from [the head's log-probabilities | the dense block (sentence vector,
    cues, situations)], mixed with the offset head (stack_weight): the head learnt emotion from generated
    text, the stack learns how real customers carry it (the situation more than the words); the head's
    share keeps a name or a time ('Crystal Minh', '下午三点') from being read as upset."""

    offsets: tuple[float, ...] = ()
    xs: tuple[float, ...] = ()
    ys: tuple[float, ...] = ()
    stack_w: np.ndarray | None = None  # (labels, labels + dense dim)
    stack_b: np.ndarray | None = None  # (labels,)
    stack_weight: float = 1.0  # share of the stack's log-probabilities in the mix with the offset head
    keep: tuple[int, float] = (-1, 1.0)  # (label, floor): the head's reading of this label stands while
    # the stack gives it at least floor (blame wins: the stack may not talk a reproach down to neutral)

    @classmethod
    def from_meta(cls, raw: dict[str, Any] | None) -> EmotionCalibration:
        """The calibration stored in an artifact's meta, or none."""
        if not raw:
            return cls()
        stack = raw.get("stack") or {}
        w = np.asarray(stack["w"], dtype=np.float32) if stack else None
        b = np.asarray(stack["b"], dtype=np.float32) if stack else None
        weight = float(stack.get("weight", 1.0)) if stack else 1.0
        label, floor = stack.get("keep", (-1, 1.0)) if stack else (-1, 1.0)
        return cls(tuple(raw.get("offsets", ())), tuple(raw.get("xs", ())), tuple(raw.get("ys", ())), w, b, weight,
                   (int(label), float(floor)))

    def stack_width(self) -> int | None:
        """The input width the stack expects (labels + dense dim), or None without a stack."""
        return None if self.stack_w is None else int(self.stack_w.shape[1])

    def choose(self, logits: np.ndarray, dense: np.ndarray | None = None) -> int:
        """The emotion label index for these logits (and the dense block, read by the stack)."""
        logits = log_softmax(logits)
        head = logits + np.asarray(self.offsets) if len(self.offsets) == len(logits) else logits
        if self.stack_w is None or self.stack_b is None or dense is None:
            return int(np.argmax(head))
        stacked = log_softmax(self.stack_w @ np.concatenate([logits, dense]) + self.stack_b)
        label, floor = self.keep
        if int(np.argmax(head)) == label and np.exp(stacked[label]) >= floor:
            return label
        return int(np.argmax((1.0 - self.stack_weight) * head + self.stack_weight * stacked))

    def intensity(self, raw: float) -> float:
        """The intensity of a non-neutral emotion from the regressor's raw output, in [0.1, 1]."""
        value = float(np.interp(raw, self.xs, self.ys)) if self.xs else raw
        return min(1.0, max(0.1, value))
