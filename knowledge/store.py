"""Opening a shop's knowledge base: one instance per data dir and process, demo policies on first use."""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path
from typing import Any

from knowledge.demo import DEMO_EDITOR, demo_only_in_force, demo_policies_dir
from knowledge.documents import PolicyDoc
from knowledge.importer import IMPORT_BATCH
from knowledge.importer import import_path as _import_path
from knowledge.kb import KnowledgeBase
from storage import open_database

_OPEN: dict[tuple[str, str | None, str], KnowledgeBase] = {}
_OPEN_LOCK = threading.Lock()


def open_kb(settings: Any, seed_demo: bool = True) -> KnowledgeBase:
    """The knowledge base of `settings.data_dir` (created, and seeded with the demo policies, if new)."""
    key = (str(Path(settings.data_dir).resolve()), settings.chroma_url, settings.embedding_model)
    with _OPEN_LOCK:
        kb = _OPEN.get(key)
        if kb is None:
            settings.ensure_dirs()
            kb = KnowledgeBase(
                open_database(settings, "kb"),
                settings.chroma_path,
                settings.chroma_url,
                settings.embedding_model,
                getattr(settings, "kb_max_doc_bytes", 256 * 1024),
                getattr(settings, "shop_timezone", None),
            )
            with _file_lock(Path(settings.data_dir) / "kb.lock"):
                if seed_demo and kb.registry.meta("demo_loaded") is None:
                    _seed(kb)
                kb.sync_vectors()
            _OPEN[key] = kb
        return kb


def import_path(
    kb: KnowledgeBase, path: Path | str, editor: str, batch: int = IMPORT_BATCH, *, keep_demo: bool = False
) -> dict[str, Any]:
    """Import one Markdown file or every *.md below a folder (see knowledge.importer).

    Into a data dir whose policies in force are all demo policies, the import retires the demo set
    once the shop's own documents are stored (`"retired_demo": N`); `keep_demo` keeps them."""
    demo: list[str] = []

    def before(docs: list[PolicyDoc]) -> None:
        if not keep_demo and docs:
            importing = {d.id for d in docs}
            demo.extend(pid for pid in demo_only_in_force(kb) if pid not in importing)

    summary = _import_path(kb, path, editor, batch, before_store=before)
    stored = summary["imported"] + summary["updated"] + summary["unchanged"]
    summary["retired_demo"] = len(kb.retire_many(demo, editor)) if demo and stored else 0
    return summary


def _seed(kb: KnowledgeBase) -> None:
    if not kb.registry.policy_ids():
        _import_path(kb, demo_policies_dir(), DEMO_EDITOR)
    with kb.registry.write() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('demo_loaded', '1') "
                     "ON CONFLICT(key) DO UPDATE SET value=excluded.value")


class _file_lock:
    """An exclusive lock on a file, so two processes never seed the same new data dir twice."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fh: Any = None

    def __enter__(self) -> None:
        self._fh = open(self._path, "a+")
        fcntl.flock(self._fh, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()
