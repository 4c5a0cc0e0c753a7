"""Opening the shop store, and creating the demo shop on first use (safe when processes race)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from app.settings import Settings
from app.store.base import StoreError
from app.store.clock import shop_now
from app.store.generator import generate
from app.store.writes import WritesMixin


class Store(WritesMixin):
    """One shop's SQLite store: reads (ReadsMixin), audited writes (WritesMixin)."""


_OPEN: dict[Path, Store] = {}
_OPEN_LOCK = threading.Lock()


def create_demo_store(path: Path, *, seed: int, n_users: int, n_orders: int,
                      now: datetime | None = None) -> dict[str, Any]:
    """Generates a demo shop at `path` (atomically: built in a temp file, then renamed).

    Returns the row counts and the generation time in seconds.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(str(tmp))
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        counts = generate(conn, seed=seed, n_users=n_users, n_orders=n_orders, now=now or shop_now())
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    os.replace(tmp, path)
    return {"counts": counts, "seconds": round(time.perf_counter() - started, 3)}


def open_store(path: Path) -> Store:
    """The process-wide Store for `path` (opened once, then cached)."""
    key = Path(path).resolve()
    with _OPEN_LOCK:
        store = _OPEN.get(key)
        if store is None:
            store = Store(key)
            _OPEN[key] = store
        return store


def ensure_demo_store(settings: Settings, now: datetime | None = None) -> Store:
    """The shop store of `settings.data_dir`, generating the demo shop first if it is missing.

    A lock file serialises creation, so two processes starting together build it once.
    """
    path = Path(settings.store_path)
    if not path.exists():
        settings.ensure_dirs()
        with open(path.with_name(path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not path.exists():
                    create_demo_store(path, seed=settings.demo_seed, n_users=settings.demo_users,
                                      n_orders=settings.demo_orders, now=now)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    return open_store(path)


def close_all() -> None:
    """Closes every cached store (tests and shutdown)."""
    with _OPEN_LOCK:
        for store in _OPEN.values():
            store.close()
        _OPEN.clear()


__all__ = ["Store", "StoreError", "close_all", "create_demo_store", "ensure_demo_store", "open_store"]
