"""The Chroma side of the knowledge base: chunk vectors of live and scheduled policy versions.

Chroma runs embedded (`PersistentClient` on `settings.chroma_path`) or as a server when
`settings.chroma_url` is set. SQLite stays the source of truth; this store can be rebuilt from it.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from knowledge.embeddings import chroma_embedding_function, collection_name
from knowledge.errors import KbError

MAX_BATCH = 5000  # Chroma accepts at most 5,461 records per add


class VectorStore:
    """A thin wrapper over one Chroma collection (one per embedding model).

    Embedded Chroma is not safe for several processes at once, so every call holds a file lock:
    shared for reads, exclusive for writes.
    """

    def __init__(self, chroma_path: str, chroma_url: str | None, model_spec: str) -> None:
        self._path, self._url, self._spec = chroma_path, chroma_url, model_spec
        self._client: Any = None
        self._col: Any = None
        lock_path = Path(chroma_path).parent / "chroma.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fh = open(lock_path, "a+")  # noqa: SIM115 - held for the life of the store

    @contextmanager
    def _locked(self, exclusive: bool) -> Iterator[Any]:
        fcntl.flock(self._lock_fh, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield self._collection()
        finally:
            fcntl.flock(self._lock_fh, fcntl.LOCK_UN)

    @property
    def remote(self) -> bool:
        """True when the store is a Chroma server."""
        return bool(self._url)

    def _collection(self) -> Any:
        if self._col is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            try:
                if self._url:
                    url = urlparse(self._url)
                    self._client = chromadb.HttpClient(
                        host=url.hostname or "127.0.0.1",
                        port=url.port or 8000,
                        ssl=url.scheme == "https",
                        settings=chroma_settings,
                    )
                else:
                    self._client = chromadb.PersistentClient(path=self._path, settings=chroma_settings)
                self._col = self._client.get_or_create_collection(
                    collection_name(self._spec),
                    embedding_function=chroma_embedding_function(self._spec),
                    configuration={"hnsw": {"space": "cosine"}},
                )
            except Exception as exc:  # noqa: BLE001 - any client error becomes one KbError
                self._client = self._col = None
                raise KbError(f"vector store unavailable ({self._url or self._path}): {exc}") from None
        return self._col

    def reopen(self) -> None:
        """Drop the client so the next call sees what other processes wrote (embedded mode)."""
        if self._client is not None and not self._url:
            with contextlib.suppress(Exception):  # closing a stale client must never break a search
                self._client.close()
            self._client = self._col = None

    def upsert(
        self, ids: list[str], vectors: np.ndarray, texts: list[str], metas: list[dict[str, Any]]
    ) -> None:
        """Add or replace entries (in batches Chroma accepts)."""
        with self._locked(True) as col:
            for s in range(0, len(ids), MAX_BATCH):
                col.upsert(
                    ids=ids[s : s + MAX_BATCH],
                    embeddings=vectors[s : s + MAX_BATCH],
                    documents=texts[s : s + MAX_BATCH],
                    metadatas=metas[s : s + MAX_BATCH],
                )

    def delete_policy(self, pid: str, keep_versions: list[int]) -> None:
        """Remove a policy's chunks except those of `keep_versions`."""
        where: dict[str, Any] = {"policy_id": pid}
        if keep_versions:
            where = {"$and": [{"policy_id": pid}, {"version": {"$nin": keep_versions}}]}
        with self._locked(True) as col:
            col.delete(where=where)

    def delete_version(self, pid: str, version: int) -> None:
        """Remove every entry of one version."""
        with self._locked(True) as col:
            col.delete(where={"$and": [{"policy_id": pid}, {"version": version}]})

    def delete_ids(self, ids: list[str]) -> None:
        """Remove entries by id (unknown ids are ignored)."""
        with self._locked(True) as col:
            for s in range(0, len(ids), MAX_BATCH):
                col.delete(ids=ids[s : s + MAX_BATCH])

    def ids(self) -> set[str]:
        """Every id in the collection."""
        out: set[str] = set()
        offset = 0
        with self._locked(False) as col:
            while True:
                batch = col.get(include=[], limit=MAX_BATCH, offset=offset)["ids"]
                out.update(batch)
                if len(batch) < MAX_BATCH:
                    return out
                offset += MAX_BATCH

    def get_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored vectors by id (ids that are absent are left out)."""
        out: dict[str, np.ndarray] = {}
        with self._locked(False) as col:
            for s in range(0, len(ids), MAX_BATCH):
                got = col.get(ids=ids[s : s + MAX_BATCH], include=["embeddings"])
                out.update(
                    {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"], strict=False)}
                )
        return out

    def count(self) -> int:
        """Number of entries in the collection."""
        with self._locked(False) as col:
            return int(col.count())

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(entry id, cosine similarity) of the n nearest entries, best first."""
        with self._locked(False) as col:
            n = min(n, col.count())
            if n <= 0:
                return []
            res = col.query(query_embeddings=vector[None, :], n_results=n, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=False)]
