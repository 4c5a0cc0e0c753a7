"""Template-grouped cross-validation of the intent model on the training templates.

    python -m finetune.nlu.cv                                   # 5 folds, shipped settings (~6 min)
    python -m finetune.nlu.cv --mlp-hidden 0 --errors /tmp/cv_errors.jsonl   # linear head only

Only the train and dev templates are used; the held-out templates are never read. Each fold holds
out whole templates (by a stable hash of the template id), so the score says how the model does on
wordings it has not seen, and the errors are the material for error analysis and new templates.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from finetune.nlu.corpus import write_jsonl
from finetune.nlu.templates import load_templates
from finetune.nlu.train import DataArguments, ModelArguments, build_splits, parse
from graph.nlu.encoder import EMBED_CHARS, Embedder
from graph.nlu.labels import INTENTS


@dataclass
class CvArguments:
    """Folds and outputs of a cross-validation run."""

    folds: int = field(default=5, metadata={"help": "number of template-grouped folds"})
    errors: Path | None = field(default=None, metadata={"help": "write the misclassified examples here"})

    def __post_init__(self) -> None:
        self.errors = Path(self.errors) if self.errors else None  # the parser gives a string


class MemoEmbedder(Embedder):
    """The sentence encoder with a per-text memo, so every fold reuses the vectors."""

    def __init__(self, chars: int = EMBED_CHARS) -> None:
        super().__init__(chars=chars)
        self._memo: dict[str, np.ndarray] = {}

    def many(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of many texts; only texts not seen before are encoded."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if todo:
            self._memo.update(zip(todo, super().many(todo), strict=True))
        return np.stack([self._memo[t] for t in texts])


def fold_of(template_id: str, folds: int) -> int:
    """The fold of a template: a stable hash, independent of which other templates exist."""
    return int(hashlib.md5(("cv:" + template_id).encode()).hexdigest(), 16) % folds


def cross_validate(records: list[dict[str, Any]], model: Any, folds: int) -> np.ndarray:
    """Out-of-fold intent predictions (indices into INTENTS) of records grouped by template."""
    from finetune.nlu.fit import Features, batch_logits, fit_intent
    from graph.nlu.entities import extract_entities
    from graph.nlu.features import SparseVectorizer, masked
    from graph.nlu.text import model_view

    embedder = MemoEmbedder(model.embed_chars) if model.embeddings else None
    fold = np.array([fold_of(r["provenance"]["template"], folds) for r in records])
    pred = np.zeros(len(records), dtype=int)
    for k in range(folds):
        train = [r for r, f in zip(records, fold, strict=True) if f != k]
        test = [r for r, f in zip(records, fold, strict=True) if f == k]
        texts = [model_view(r["text"]) for r in train]
        vectorizer = SparseVectorizer.fit(
            [masked(t, extract_entities(t)) for t in texts], model.min_df, model.max_features
        )
        head = fit_intent(Features(train, vectorizer, embedder, model), len(vectorizer.vocab), model)
        pred[fold == k] = batch_logits(head, Features(test, vectorizer, embedder, model)).argmax(axis=1)
    return pred


def summary(records: list[dict[str, Any]], pred: np.ndarray) -> dict[str, Any]:
    """Accuracy, per-intent F1 (weakest first) and the most frequent confusions."""
    gold = np.array([INTENTS.index(r["intent"]) for r in records])
    f1 = {}
    for i, name in enumerate(INTENTS):
        tp = int(((pred == i) & (gold == i)).sum())
        denom = int((pred == i).sum() + (gold == i).sum())
        f1[name] = round(2 * tp / denom, 4) if denom else 0.0
    confusions = Counter(f"{INTENTS[g]} -> {INTENTS[p]}" for g, p in zip(gold, pred, strict=True) if g != p)
    batch_of = {t.id: t.batch for t in load_templates()}
    batches = np.array([batch_of.get(r["provenance"]["template"], "") for r in records])
    return {
        "n": len(records),
        "intent_accuracy": round(float((gold == pred).mean()), 4),
        "accuracy_by_batch": {
            b or "base": round(float((gold == pred)[batches == b].mean()), 4) for b in sorted(set(batches))
        },
        "per_intent_f1": dict(sorted(f1.items(), key=lambda kv: kv[1])),
        "confusions": dict(confusions.most_common(15)),
    }


def main(argv: list[str] | None = None) -> int:
    """Build the corpus, cross-validate on train+dev templates, print the summary as JSON."""
    data, model, cv = parse(argv, (DataArguments, ModelArguments, CvArguments), __doc__)
    splits = build_splits(data)
    records = splits["train"] + splits["dev"]
    pred = cross_validate(records, model, cv.folds)
    if cv.errors is not None:
        wrong = [
            {**r, "predicted": INTENTS[p]}
            for r, p in zip(records, pred, strict=True)
            if INTENTS[p] != r["intent"]
        ]
        write_jsonl(wrong, cv.errors)
    sys.stdout.write(json.dumps(summary(records, pred), ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
