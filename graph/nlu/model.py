"""The trained front-tier classifiers: a versioned artifact of plain arrays (no pickle) and the
linear heads that read it. Training writes it with `save_artifact`; serving reads it with
`load_models`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graph.nlu.emotion_calibration import EmotionCalibration, log_softmax
from graph.nlu.encoder import EMBED_CHARS, Embedder
from graph.nlu.features import SparseVectorizer, cue_names, cues, masked
from graph.nlu.reading import CANDIDATES, Reading

ARTIFACT_NAME = "nlu_model.npz"
FORMAT = 1
MLP_ARRAYS = ("w1", "b1", "w2", "b2")


@dataclass
class MlpHead:
    """One hidden ReLU layer over the dense block (sentence vector and cues) and, optionally, the
    most frequent n-grams of the sparse block: it finds the conjunctions of words and meaning that
    a linear head misses."""

    w1: np.ndarray  # (hidden, dense dim)
    b1: np.ndarray  # (hidden,)
    w2: np.ndarray  # (classes, hidden)
    b2: np.ndarray  # (classes,)
    weight: float = 0.5  # share of its log-probabilities in the mix with the linear head
    w1_sparse: np.ndarray | None = None  # (first k n-grams of the vocabulary, hidden)

    def scores(self, dense: np.ndarray, ind: np.ndarray | None = None, val: np.ndarray | None = None) -> np.ndarray:
        """Logits of one example (dense: (dim,), n-gram indices and values) or of many (dense: (n, dim))."""
        hidden = dense @ self.w1.T + self.b1
        if self.w1_sparse is not None and ind is not None and val is not None and len(ind):
            known = ind < len(self.w1_sparse)
            hidden = hidden + val[known] @ self.w1_sparse[ind[known]]
        return np.maximum(hidden, 0.0) @ self.w2.T + self.b2

    def batch_scores(self, dense: np.ndarray, sparse: Any) -> np.ndarray:
        """Logits of many examples: dense (n, dim) and a scipy CSR matrix over the whole vocabulary."""
        hidden = dense @ self.w1.T + self.b1
        if self.w1_sparse is not None:
            hidden = hidden + np.asarray(sparse[:, : len(self.w1_sparse)] @ self.w1_sparse)
        return np.maximum(hidden, 0.0) @ self.w2.T + self.b2


@dataclass
class LinearHead:
    """Softmax (or, with one output, linear) head over [sparse TF-IDF | dense features], optionally
    mixed with an MLP over the dense block (a log-linear ensemble, calibrated as one)."""

    w_sparse: np.ndarray  # (vocab, classes): row gathers are cheap
    w_dense: np.ndarray  # (classes, dense dim)
    bias: np.ndarray  # (classes,)
    labels: tuple[str, ...] = ()
    temperature: float = 1.0
    mlp: MlpHead | None = None

    def scores(self, ind: np.ndarray, val: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """Raw scores (logits) of one example."""
        out = self.w_dense @ dense + self.bias
        if len(ind):
            out += val @ self.w_sparse[ind]
        if self.mlp is None:
            return out
        return self.mix(out, self.mlp.scores(dense, ind, val))

    def mix(self, linear: np.ndarray, mlp: np.ndarray) -> np.ndarray:
        """The weighted sum of the linear and the MLP head's log-probabilities."""
        w = self.mlp.weight if self.mlp is not None else 0.0
        return (1.0 - w) * log_softmax(linear) + w * log_softmax(mlp)

    def proba(self, ind: np.ndarray, val: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """Temperature-calibrated class probabilities of one example."""
        z = self.scores(ind, val, dense) / self.temperature
        z = np.exp(z - z.max())
        return z / z.sum()


class TrainedClassifier:
    """Intent, emotion and intensity from one shared feature pass."""

    def __init__(
        self,
        vectorizer: SparseVectorizer,
        heads: dict[str, LinearHead],
        meta: dict[str, Any],
        embedder: Embedder | None,
    ) -> None:
        self.vectorizer = vectorizer
        self.heads = heads
        self.meta = meta
        self.embedder = embedder
        self.embedding_weight = float(meta.get("embedding_weight", 1.0))
        self.cue_weight = float(meta.get("cue_weight", 1.0))
        self.familiarity = bool(meta.get("familiarity", False))
        self.emotion = EmotionCalibration.from_meta(meta.get("emotion_calibration"))
        # log-prior offsets per intent fitted on the dev sets (evals.nlu_dev --calibrate-intent): real
        # traffic's mix of intents is not the training corpus's even one
        prior = (meta.get("intent_prior") or {}).get("offsets") or ()
        self.intent_prior = np.asarray(prior, dtype=np.float64) if prior else None

    def dense(self, text: str, view: str, embedding: np.ndarray | None = None) -> np.ndarray:
        """The dense block: [scaled embedding?, scaled cues, familiarity of the masked view?]."""
        parts = []
        if self.embedder is not None:
            vector = self.embedder.one(text) if embedding is None else embedding
            parts.append(vector * self.embedding_weight)
        parts.append(cues(text) * self.cue_weight)
        if self.familiarity:
            parts.append(np.array([self.vectorizer.familiarity(view)], dtype=np.float32))
        return np.concatenate(parts)

    def classify_many(self, texts: list[str], entities: list[list[dict[str, Any]]]) -> list[Reading]:
        """`classify` for a batch: the sentence encoder runs once for all texts (much faster per text)."""
        vectors = self.embedder.many(texts) if self.embedder is not None and texts else [None] * len(texts)
        return [self.classify(t, e, v) for t, e, v in zip(texts, entities, vectors, strict=True)]

    def emotion_inputs(self, text: str, entities: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, float]:
        """The emotion head's log-probabilities, the dense block and the intensity regressor's raw
        output, before the calibration reads them (what evals.nlu_dev fits the calibration on)."""
        view = masked(text, entities)
        ind, val = self.vectorizer.transform_one(view)
        dense = self.dense(text, view)
        logits = log_softmax(self.heads["emotion"].scores(ind, val, dense))
        return logits, dense, float(self.heads["intensity"].scores(ind, val, dense)[0])

    def raw_emotion(self, text: str, entities: list[dict[str, Any]]) -> tuple[np.ndarray, float]:
        """The emotion head's log-probabilities and the intensity regressor's raw output."""
        logits, _, raw = self.emotion_inputs(text, entities)
        return logits, raw

    def raw_intent(self, text: str, entities: list[dict[str, Any]], embedding: np.ndarray | None = None) -> np.ndarray:
        """The intent head's calibrated probabilities before the dev-fitted prior (what it is fitted on)."""
        view = masked(text, entities)
        ind, val = self.vectorizer.transform_one(view)
        return self.heads["intent"].proba(ind, val, self.dense(text, view, embedding))

    def classify(
        self,
        text: str,
        entities: list[dict[str, Any]],
        embedding: np.ndarray | None = None,
    ) -> Reading:
        """The intent readings (calibrated confidences, best first), emotion and intensity."""
        view = masked(text, entities)
        ind, val = self.vectorizer.transform_one(view)
        dense = self.dense(text, view, embedding)
        intent = self.heads["intent"]
        p = intent.proba(ind, val, dense)
        if self.intent_prior is not None and len(self.intent_prior) == len(p):
            q = np.exp(np.log(np.clip(p, 1e-12, 1.0)) + self.intent_prior)
            p = q / q.sum()
        order = np.argsort(-p)[:CANDIDATES]
        candidates = tuple((intent.labels[int(i)], float(p[i])) for i in order)
        emotion = self.heads["emotion"]
        label = emotion.labels[self.emotion.choose(emotion.scores(ind, val, dense), dense)]
        intensity = 0.0
        if label != "neutral":
            intensity = self.emotion.intensity(float(self.heads["intensity"].scores(ind, val, dense)[0]))
        return Reading(candidates[0][0], candidates[0][1], label, intensity, candidates)


def save_artifact(
    folder: Path, vectorizer: SparseVectorizer, heads: dict[str, LinearHead], meta: dict[str, Any]
) -> dict[str, Any]:
    """Write the artifact (float16 sparse weights, compressed) and return its meta with hash + version."""
    grams = sorted(vectorizer.vocab, key=vectorizer.vocab.__getitem__)
    arrays: dict[str, np.ndarray] = {
        "grams": np.array(grams, dtype=str),
        "idf": vectorizer.idf.astype(np.float32),
    }
    for name, head in heads.items():
        arrays[f"{name}_ws"] = head.w_sparse.astype(np.float16)
        arrays[f"{name}_wd"] = head.w_dense.astype(np.float32)
        arrays[f"{name}_b"] = head.bias.astype(np.float32)
        arrays[f"{name}_labels"] = np.array(head.labels, dtype=str)
        arrays[f"{name}_t"] = np.array([head.temperature], dtype=np.float32)
        if head.mlp is not None:
            for part in MLP_ARRAYS:
                arrays[f"{name}_mlp_{part}"] = getattr(head.mlp, part).astype(np.float16)
            if head.mlp.w1_sparse is not None:
                arrays[f"{name}_mlp_w1s"] = head.mlp.w1_sparse.astype(np.float16)
            arrays[f"{name}_mlp_weight"] = np.array([head.mlp.weight], dtype=np.float32)
    digest = hashlib.sha256()
    for key in sorted(arrays):
        digest.update(key.encode())
        digest.update(np.ascontiguousarray(arrays[key]).tobytes())
    meta = {
        **meta,
        "format": FORMAT,
        "sha256": digest.hexdigest(),
        "version": f"nlu-{meta.get('created', '')[:10]}-{digest.hexdigest()[:8]}",
    }
    folder.mkdir(parents=True, exist_ok=True)
    arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
    np.savez_compressed(folder / ARTIFACT_NAME, **arrays)  # type: ignore[arg-type]
    return meta


def read_artifact(path: Path) -> tuple[SparseVectorizer, dict[str, LinearHead], dict[str, Any]]:
    """The vectorizer, heads and meta stored in an artifact file."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: unsupported NLU artifact format {meta.get('format')}")
        if meta.get("cue_names") != cue_names():
            raise ValueError(f"{path}: artifact was trained with other cue features; retrain it")
        grams = z["grams"].tolist()
        vectorizer = SparseVectorizer({g: i for i, g in enumerate(grams)}, z["idf"])
        heads = {}
        for name in ("intent", "emotion", "intensity"):
            heads[name] = LinearHead(
                z[f"{name}_ws"].astype(np.float32),
                z[f"{name}_wd"],
                z[f"{name}_b"],
                tuple(z[f"{name}_labels"].tolist()),
                float(z[f"{name}_t"][0]),
                _read_mlp(z, name),
            )
    return vectorizer, heads, meta


def _read_mlp(z: Any, name: str) -> MlpHead | None:
    """The MLP of a head, if the artifact has one (older artifacts do not)."""
    if f"{name}_mlp_w1" not in z.files:
        return None
    w1, b1, w2, b2 = (z[f"{name}_mlp_{part}"].astype(np.float32) for part in MLP_ARRAYS)
    w1s = z[f"{name}_mlp_w1s"].astype(np.float32) if f"{name}_mlp_w1s" in z.files else None
    return MlpHead(w1, b1, w2, b2, weight=float(z[f"{name}_mlp_weight"][0]), w1_sparse=w1s)


def load_models(folder: Path, cache_dir: Path | None = None) -> tuple[TrainedClassifier, str]:
    """The trained classifier of an artifact folder (warmed up) and its version string; cache_dir
    holds the sentence encoder's fast-load cache."""
    vectorizer, heads, meta = read_artifact(folder / ARTIFACT_NAME)
    chars = int(meta.get("embed_chars", EMBED_CHARS))
    embedder = Embedder(cache_dir, chars=chars) if meta.get("embeddings") else None
    clf = TrainedClassifier(vectorizer, heads, meta, embedder)
    width = clf.emotion.stack_width()
    if width is not None and width != len(heads["emotion"].labels) + len(clf.dense("你好", "你好")):
        raise ValueError(f"{folder / ARTIFACT_NAME}: the emotion stack reads {width} inputs, not this artifact's")
    clf.classify("你好", [])  # load the encoder now, not on the first customer message
    return clf, str(meta["version"])
