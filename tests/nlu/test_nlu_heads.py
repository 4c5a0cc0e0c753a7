"""The intent head's MLP mix: scoring, batch/one-by-one agreement, artifact round trip, CV folds."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from finetune.nlu.cv import fold_of, summary
from graph.nlu.features import SparseVectorizer, cue_names
from graph.nlu.labels import INTENTS
from graph.nlu.model import ARTIFACT_NAME, LinearHead, MlpHead, log_softmax, read_artifact, save_artifact


def _head(rng: np.random.Generator, vocab: int, dense: int, classes: int, mlp: bool) -> LinearHead:
    head = LinearHead(
        rng.normal(size=(vocab, classes)).astype(np.float32),
        rng.normal(size=(classes, dense)).astype(np.float32),
        rng.normal(size=classes).astype(np.float32),
        tuple(f"c{i}" for i in range(classes)),
        1.5,
    )
    if mlp:
        head.mlp = MlpHead(
            rng.normal(size=(8, dense)).astype(np.float32),
            rng.normal(size=8).astype(np.float32),
            rng.normal(size=(classes, 8)).astype(np.float32),
            rng.normal(size=classes).astype(np.float32),
            weight=0.4,
        )
    return head


def test_mlp_mix_is_the_weighted_sum_of_log_probabilities() -> None:
    rng = np.random.default_rng(0)
    head = _head(rng, vocab=5, dense=4, classes=3, mlp=True)
    ind, val, dense = (
        np.array([0, 3]),
        np.array([0.6, 0.8], np.float32),
        rng.normal(size=4).astype(np.float32),
    )
    linear = head.w_dense @ dense + head.bias + val @ head.w_sparse[ind]
    hidden = np.maximum(head.mlp.w1 @ dense + head.mlp.b1, 0)
    mlp = head.mlp.w2 @ hidden + head.mlp.b2
    expected = 0.6 * log_softmax(linear) + 0.4 * log_softmax(mlp)
    assert np.allclose(head.scores(ind, val, dense), expected, atol=1e-5)
    assert np.isclose(head.proba(ind, val, dense).sum(), 1.0)
    batch = head.mix(linear[None, :], dense[None, :])[0]  # what training calibrates on
    assert np.allclose(batch, expected, atol=1e-5)


def test_artifact_round_trip_keeps_the_mlp(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    vectorizer = SparseVectorizer({"a": 0, "b": 1, "c": 2}, np.ones(3, np.float32))
    heads = {
        "intent": _head(rng, 3, 4, 3, mlp=True),
        "emotion": _head(rng, 3, 4, 2, mlp=False),
        "intensity": _head(rng, 3, 4, 1, mlp=False),
    }
    save_artifact(tmp_path, vectorizer, heads, {"created": "2026-01-01", "cue_names": cue_names()})
    _, loaded, _ = read_artifact(tmp_path / ARTIFACT_NAME)
    assert loaded["intent"].mlp is not None and loaded["emotion"].mlp is None
    assert loaded["intent"].mlp.weight == np.float32(0.4)
    assert np.allclose(loaded["intent"].mlp.w1, heads["intent"].mlp.w1, atol=1e-2)  # stored as float16


def test_cv_folds_depend_only_on_the_template_id() -> None:
    folds = [fold_of(f"order_status/zh/{i:02d}", 5) for i in range(200)]
    assert set(folds) == set(range(5)) and min(folds.count(k) for k in range(5)) >= 25
    assert fold_of("order_status/zh/07", 5) == folds[7]


def test_cv_summary_counts_accuracy_and_confusions() -> None:
    records = [
        {"intent": "order_status", "provenance": {"template": "order_status/zh/00"}},
        {"intent": "logistics_tracking", "provenance": {"template": "logistics_tracking/zh/00"}},
    ]
    pred = np.array([INTENTS.index("order_status"), INTENTS.index("order_status")])
    out = summary(records, pred)
    assert out["intent_accuracy"] == 0.5
    assert out["confusions"] == {"logistics_tracking -> order_status": 1}
    assert out["per_intent_f1"]["logistics_tracking"] == 0.0
