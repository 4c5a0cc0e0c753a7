"""The intent head's MLP mix: scoring, batch/one-by-one agreement, artifact round trip, CV folds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

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
            w1_sparse=rng.normal(size=(vocab - 1, 8)).astype(np.float32),  # reads all n-grams but the last
        )
    return head


def test_mlp_mix_is_the_weighted_sum_of_log_probabilities() -> None:
    rng = np.random.default_rng(0)
    head = _head(rng, vocab=5, dense=4, classes=3, mlp=True)
    ind, val, dense = (
        np.array([0, 4]),
        np.array([0.6, 0.8], np.float32),
        rng.normal(size=4).astype(np.float32),
    )
    linear = head.w_dense @ dense + head.bias + val @ head.w_sparse[ind]
    # n-gram 4 lies beyond the MLP's n-grams: only the linear head reads it
    hidden = np.maximum(head.mlp.w1 @ dense + head.mlp.b1 + 0.6 * head.mlp.w1_sparse[0], 0)
    mlp = head.mlp.w2 @ hidden + head.mlp.b2
    expected = 0.6 * log_softmax(linear) + 0.4 * log_softmax(mlp)
    assert np.allclose(head.scores(ind, val, dense), expected, atol=1e-5)
    assert np.isclose(head.proba(ind, val, dense).sum(), 1.0)
    row = csr_matrix((val, (np.zeros(2, int), ind)), shape=(1, 5))
    batch = head.mix(linear[None, :], head.mlp.batch_scores(dense[None, :], row))[0]  # what training calibrates on
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
    assert np.allclose(loaded["intent"].mlp.w1_sparse, heads["intent"].mlp.w1_sparse, atol=1e-2)


def test_the_mlp_learns_from_ngrams_the_dense_block_lacks() -> None:
    from finetune.nlu.mlp import MlpConfig, fit_mlp

    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, size=3000)
    sparse = csr_matrix((np.ones(3000, np.float32), (np.arange(3000), y)), shape=(3000, 3))  # n-gram = label
    dense = rng.normal(size=(3000, 4)).astype(np.float32)  # noise
    head = fit_mlp(dense, y, 2, MlpConfig(hidden=8, epochs=10, ngrams=3), sparse)
    assert head.w1_sparse is not None and head.w1_sparse.shape == (3, 8)
    assert (head.batch_scores(dense, sparse).argmax(axis=1) == y).mean() > 0.95
    blind = fit_mlp(dense, y, 2, MlpConfig(hidden=8, epochs=10, ngrams=0), sparse)
    assert blind.w1_sparse is None and (blind.batch_scores(dense, sparse).argmax(axis=1) == y).mean() < 0.7


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


def test_familiarity_is_the_share_of_known_character_pairs() -> None:
    vectorizer = SparseVectorizer({"快递": 0, "递到": 1, "到哪": 2, "哪了": 3}, np.ones(4, np.float32))
    assert vectorizer.familiarity("快递到哪了") == 1.0
    assert vectorizer.familiarity("它着最长这又方") == 0.0
    assert vectorizer.familiarity("快递它着") == 1 / 3
    assert vectorizer.familiarity("where is it") == 1.0  # no Chinese pairs: nothing to judge


def test_foreign_script_cue_fires_on_other_scripts_only() -> None:
    from graph.nlu.features import cues

    flag = cue_names().index("foreign_script")
    for text in ("注文はどこですか", "안녕하세요", "Где мой заказ?", "مرحبا", "สวัสดีครับ"):
        assert cues(text)[flag] == 1.0, text
    for text in ("我的快递到哪了", "where is my parcel", "订单123456789012"):
        assert cues(text)[flag] == 0.0, text
