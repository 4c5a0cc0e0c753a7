"""Where each part of a deployment's relational state lives, and opening it (schema migrated on first use).

Embedded default: one SQLite file per part under the data dir (as before this package existed, so an old
data dir keeps working). With `database_url` (KEFU_DATABASE_URL) every part lives in that Postgres.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from storage.database import Database

PARTS: dict[str, str] = {
    "shop": "shop.db",  # the demo shop's store (orders, shipments, refunds, ...) and its idempotency keys
    "service": "service.db",  # tickets, handoff queue, accounts, auth tokens, ratings, pilot settings
    "kb": "kb.db",  # policy registry, versions, chunks, audit log
    "checkpoints": "checkpoints.db",  # LangGraph checkpoints (the saver owns this schema)
}
"""Each part and its SQLite file name."""


class DeploymentSettings(Protocol):
    """The settings values that say where the relational state lives (app's `Settings` satisfies it)."""

    @property
    def data_dir(self) -> Path: ...
    @property
    def database_url(self) -> str | None: ...
    @property
    def db_pool_size(self) -> int: ...
    @property
    def db_timeout_s(self) -> float: ...


def database_url(settings: DeploymentSettings, part: str) -> str:
    """The URL of one part: the shared Postgres, or that part's SQLite file under the data dir."""
    if part not in PARTS:
        raise ValueError(f"unknown database part {part!r}; known: {', '.join(PARTS)}")
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{Path(settings.data_dir).resolve() / PARTS[part]}"


_OPEN: dict[tuple[str, str], Database] = {}
_OPEN_LOCK = threading.Lock()


def open_database(settings: DeploymentSettings, part: str, migrate: bool = True) -> Database:
    """The process's Database of one part, its schema at the newest version (created on first use)."""
    url = database_url(settings, part)
    key = (url, part)
    with _OPEN_LOCK:
        db = _OPEN.get(key)
    if db is not None:
        return db
    db = Database(url, part, pool_size=settings.db_pool_size, timeout_s=settings.db_timeout_s)
    if migrate and part != "checkpoints":
        from storage.migrate import upgrade

        upgrade(db)
    with _OPEN_LOCK:
        return _OPEN.setdefault(key, db)


def forget(settings: DeploymentSettings) -> None:
    """Closes and forgets this deployment's databases in this process (tests remove their data dirs)."""
    urls = {database_url(settings, part) for part in PARTS}
    with _OPEN_LOCK:
        for key in [k for k in _OPEN if k[0] in urls]:
            _OPEN.pop(key).close()


def forget_all() -> None:
    """Closes and forgets every database this process opened (tests)."""
    with _OPEN_LOCK:
        for db in _OPEN.values():
            db.close()
        _OPEN.clear()
