"""Fitting the front-tier heads from corpus splits (features, logistic regression, calibration)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from finetune.nlu.mlp import MlpConfig, fit_mlp
from graph.nlu.encoder import Embedder
from graph.nlu.entities import extract_entities
from graph.nlu.features import SparseVectorizer, cue_names, cues, masked
from graph.nlu.labels import EMOTIONS, INTENTS
from graph.nlu.model import LinearHead, TrainedClassifier, save_artifact
from graph.nlu.text import model_view


class Features:
    """Feature matrices of one split: sparse CSR and dense block, plus labels."""

    def __init__(
        self,
        records: list[dict[str, Any]],
        vectorizer: SparseVectorizer,
        embedder: Embedder | None,
        model: Any,
    ) -> None:
        texts = [model_view(r["text"]) for r in records]
        views = [masked(t, extract_entities(t)) for t in texts]
        self.sparse = vectorizer.transform(views)
        blocks = []
        if embedder is not None:
            blocks.append(embedder.many(texts) * model.embedding_weight)
        blocks.append(np.stack([cues(t) for t in texts]) * model.cue_weight)
        if model.familiarity:
            blocks.append(np.array([[vectorizer.familiarity(v)] for v in views], dtype=np.float32))
        self.dense = np.hstack(blocks).astype(np.float32)
        self.intent = np.array([INTENTS.index(r["intent"]) for r in records])
        self.emotion = np.array([EMOTIONS.index(r["emotion"]["label"]) for r in records])
        self.intensity = np.array([float(r["emotion"]["intensity"]) for r in records], dtype=np.float32)

    def matrix(self) -> Any:
        """[sparse | dense] as one CSR matrix for scikit-learn."""
        from scipy.sparse import csr_matrix, hstack

        return hstack([self.sparse, csr_matrix(self.dense)]).tocsr()


def _logreg(x: Any, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=300, tol=1e-3).fit(x, y)


def _temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature minimising the negative log-likelihood on held-apart data."""
    best, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.3), np.log(5.0), 60)):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -logp[np.arange(len(y)), y].mean()
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def _head(clf: Any, vocab_size: int, labels: tuple[str, ...], temperature: float) -> LinearHead:
    coef = np.zeros((len(labels), clf.coef_.shape[1]), dtype=np.float32)
    coef[clf.classes_] = clf.coef_
    bias = np.full(len(labels), -30.0, dtype=np.float32)  # a class never seen in training is never chosen
    bias[clf.classes_] = clf.intercept_
    return LinearHead(coef[:, :vocab_size].T.copy(), coef[:, vocab_size:], bias, labels, temperature)


def _ridge(x: Any, y: np.ndarray, mask: np.ndarray, vocab_size: int) -> LinearHead:
    from sklearn.linear_model import Ridge

    reg = Ridge(alpha=1.0).fit(x[mask], y[mask])
    coef = reg.coef_.astype(np.float32)[None, :]
    return LinearHead(
        coef[:, :vocab_size].T.copy(), coef[:, vocab_size:], np.array([reg.intercept_], np.float32)
    )


def batch_logits(head: LinearHead, feats: Features) -> np.ndarray:
    """(n, classes) logits of a head for a whole split (what `LinearHead.scores` gives one by one)."""
    linear = np.asarray(feats.sparse @ head.w_sparse) + feats.dense @ head.w_dense.T + head.bias
    if head.mlp is None:
        return linear
    return head.mix(linear, head.mlp.batch_scores(feats.dense, feats.sparse))


def fit_intent(train: Features, vocab_size: int, model: Any, x: Any = None) -> LinearHead:
    """The intent head: logistic regression, mixed with an MLP over the dense block when the
    sentence embedding is part of it (model.mlp_hidden > 0). x: train.matrix() if already built."""
    x = train.matrix() if x is None else x
    head = _head(_logreg(x, train.intent, model.intent_c), vocab_size, INTENTS, 1.0)
    if model.embeddings and model.mlp_hidden > 0:
        cfg = MlpConfig(
            hidden=model.mlp_hidden, epochs=model.mlp_epochs, weight=model.mlp_weight, ngrams=model.mlp_ngrams
        )
        head.mlp = fit_mlp(train.dense, train.intent, len(INTENTS), cfg, train.sparse)
    return head


def fit_emotion(train: Features, vocab_size: int, model: Any, x: Any) -> LinearHead:
    """The emotion head: logistic regression, mixed with an MLP like the intent head's (situations such as
    'charged but no order' are conjunctions a linear head reads poorly)."""
    head = _head(_logreg(x, train.emotion, model.emotion_c), vocab_size, EMOTIONS, 1.0)
    if model.embeddings and getattr(model, "emotion_mlp_hidden", 0) > 0:
        cfg = MlpConfig(
            hidden=model.emotion_mlp_hidden, epochs=model.mlp_epochs, weight=model.emotion_mlp_weight,
            ngrams=model.mlp_ngrams, seed=1,
        )
        head.mlp = fit_mlp(train.dense, train.emotion, len(EMOTIONS), cfg, train.sparse)
    return head


def fit_heads(
    train: Features,
    vocab_size: int,
    model: Any,
    dev: Features | None = None,
    temperatures: tuple[float, float] = (1.0, 1.0),
) -> dict[str, LinearHead]:
    """Intent and emotion classifiers plus the intensity regressor (non-neutral examples only)."""
    x = train.matrix()
    intent = fit_intent(train, vocab_size, model, x)
    emotion = fit_emotion(train, vocab_size, model, x)
    intent.temperature, emotion.temperature = temperatures
    if dev is not None:
        intent.temperature = _temperature(batch_logits(intent, dev), dev.intent)
        emotion.temperature = _temperature(batch_logits(emotion, dev), dev.emotion)
    return {
        "intent": intent,
        "emotion": emotion,
        "intensity": _ridge(x, train.intensity, train.emotion != 0, vocab_size),
    }


def fit_artifact(
    splits: dict[str, list[dict[str, Any]]], model: Any, out: Path, data_config: dict[str, Any]
) -> dict[str, Any]:
    """Fit on train, calibrate on dev, refit on train+dev, evaluate on held-out, save. Returns a report."""
    from graph.nlu.evaluate import evaluate_nlu
    from graph.nlu.runtime import Nlu

    embedder = Embedder(chars=model.embed_chars) if model.embeddings else None
    fit_texts = [model_view(r["text"]) for r in splits["train"] + splits["dev"]]
    vectorizer = SparseVectorizer.fit(
        [masked(t, extract_entities(t)) for t in fit_texts], model.min_df, model.max_features
    )
    train = Features(splits["train"], vectorizer, embedder, model)
    dev = Features(splits["dev"], vectorizer, embedder, model)
    first = fit_heads(train, len(vectorizer.vocab), model, dev)
    temps = (first["intent"].temperature, first["emotion"].temperature)
    heads = first
    if getattr(model, "refit", True):
        both = Features(splits["train"] + splits["dev"], vectorizer, embedder, model)
        heads = fit_heads(both, len(vectorizer.vocab), model, temperatures=temps)
    meta: dict[str, Any] = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "embeddings": bool(model.embeddings),
        "embed_chars": model.embed_chars,
        "embedding_weight": model.embedding_weight,
        "cue_weight": model.cue_weight,
        "familiarity": bool(model.familiarity),
        "cue_names": cue_names(),
        "vocab_size": len(vectorizer.vocab),
        "train_examples": len(splits["train"]) + len(splits["dev"]),
        "data": data_config,
        "temperatures": {"intent": temps[0], "emotion": temps[1]},
        "intent_mlp": {"hidden": model.mlp_hidden, "weight": model.mlp_weight, "ngrams": model.mlp_ngrams}
        if heads["intent"].mlp
        else None,
        "emotion_mlp": {"hidden": model.emotion_mlp_hidden, "weight": model.emotion_mlp_weight}
        if heads["emotion"].mlp
        else None,
    }
    clf = TrainedClassifier(vectorizer, heads, meta, embedder)
    metrics = evaluate_nlu(Nlu(clf, "candidate"), splits["heldout"])
    meta["heldout"] = {k: v for k, v in metrics.items() if not isinstance(v, dict)}
    meta = save_artifact(out, vectorizer, heads, meta)
    return {"version": meta["version"], "heldout": meta["heldout"], "artifact": str(out)}


def update_meta(folder: Path, updates: dict[str, Any]) -> dict[str, Any]:
    """Rewrite an artifact's meta with `updates` merged in (the arrays, and so the sha256, unchanged):
    for settings tuned after training, such as the ask thresholds."""
    import json

    from graph.nlu.model import ARTIFACT_NAME

    path = folder / ARTIFACT_NAME
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = {**json.loads(str(arrays["meta"])), **updates}
    arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(path)
    return meta
