"""Opening the shop store, and creating the demo shop on first use (safe when processes race)."""

from __future__ import annotations

import fcntl
import os
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
from storage import Database, DatabaseUnavailable, open_database
from storage.deployment import database_url
from storage.migrate import upgrade


class Store(WritesMixin):
    """One shop's store: reads (ReadsMixin), audited writes (WritesMixin)."""


_OPEN: dict[str, Store] = {}
_OPEN_LOCK = threading.Lock()


def _populated(db: Database) -> bool:
    with db.connect() as conn:
        return conn.execute("SELECT 1 FROM meta WHERE key='schema_version'").fetchone() is not None


def _fill(db: Database, settings: Settings, now: datetime | None) -> dict[str, Any]:
    started = time.perf_counter()
    with db.transaction() as conn:
        if _populated(db):  # another process or node filled it while we waited for the write lock
            return {"counts": {}, "seconds": 0.0}
        counts = generate(conn, seed=settings.demo_seed, n_users=settings.demo_users,
                          n_orders=settings.demo_orders, now=now or shop_now())
    return {"counts": counts, "seconds": round(time.perf_counter() - started, 3)}


def create_demo_store(path: Path, *, seed: int, n_users: int, n_orders: int,
                      now: datetime | None = None) -> dict[str, Any]:
    """Generates a demo shop in the SQLite file `path` (atomically: built in a temp file, then renamed).

    Returns the row counts and the generation time in seconds.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{tmp}", "shop")
    try:
        upgrade(db, exclusive=False)
        settings = Settings(data_dir=path.parent, demo_seed=seed, demo_users=n_users, demo_orders=n_orders)
        result = _fill(db, settings, now)
        with db.connect() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return result


def open_store(settings: Settings | Path) -> Store:
    """The process-wide Store of the shop of `settings` (or of an existing SQLite store file), cached."""
    key = f"sqlite:///{Path(settings).resolve()}" if isinstance(settings, Path) else database_url(settings, "shop")
    with _OPEN_LOCK:
        store = _OPEN.get(key)
    if store is None:
        store = Store(Path(settings) if isinstance(settings, Path) else open_database(settings, "shop"))
        with _OPEN_LOCK:
            store = _OPEN.setdefault(key, store)
    return store


def ensure_demo_store(settings: Settings, now: datetime | None = None) -> Store:
    """The shop store of `settings`, generating the demo shop first if it is missing.

    SQLite: a lock file serialises creation, so two processes starting together build it once. Postgres:
    the store's write lock does, across machines.
    """
    with _OPEN_LOCK:  # opened (and so filled) before in this process: no query needed
        known = _OPEN.get(database_url(settings, "shop"))
    if known is not None and (settings.database_url or Path(settings.store_path).exists()):
        return known
    if settings.database_url:
        db = open_database(settings, "shop")
        if not _populated(db):
            _fill(db, settings, now)
        return open_store(settings)
    path = Path(settings.store_path)
    try:
        if not path.exists() or not _populated(open_database(settings, "shop")):
            settings.ensure_dirs()
            with open(path.with_name(path.name + ".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    _create_or_fill(settings, path, now)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
        return open_store(settings)
    except (StoreError, DatabaseUnavailable):
        raise
    except Exception as exc:  # noqa: BLE001 - a file that is not a database fails inside the migration
        raise StoreError(f"{path} is not a kefu shop store: {exc}") from exc


def _create_or_fill(settings: Settings, path: Path, now: datetime | None) -> None:
    """A new file is built aside and renamed into place; an empty migrated one (`kefu db upgrade`) is filled."""
    if not path.exists():
        create_demo_store(path, seed=settings.demo_seed, n_users=settings.demo_users,
                          n_orders=settings.demo_orders, now=now)
    else:
        _fill(open_database(settings, "shop"), settings, now)


def close_all() -> None:
    """Closes every cached store (tests and shutdown)."""
    from storage.deployment import forget_all

    with _OPEN_LOCK:
        for store in _OPEN.values():
            store.close()
        _OPEN.clear()
    forget_all()


__all__ = ["Store", "StoreError", "close_all", "create_demo_store", "ensure_demo_store", "open_store"]
