"""The tickets tables in the service database (settings.service_path, SQLite WAL).

Every operation reads the file afresh, so several processes that share a data dir (`kefu serve`,
`kefu chat`) see the same queue. Writes that read-then-write run under
`BEGIN IMMEDIATE` so two agents or two triggers cannot race.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OPEN_STATUSES = ("queued", "callback", "active")
"""A ticket in one of these statuses is open: the session may not get a second one."""
FINAL_STATUSES = ("returned", "closed")
"""Handed back to the bot, or closed by the agent."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    user_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued','callback','active','returned','closed')),
    reason TEXT NOT NULL,
    explicit INTEGER NOT NULL DEFAULT 0,
    intent TEXT,
    anger REAL NOT NULL DEFAULT 0,
    urgency_base REAL NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '',
    slots TEXT NOT NULL DEFAULT '{}',
    emotions TEXT NOT NULL DEFAULT '[]',
    transcript TEXT NOT NULL DEFAULT '[]',
    agent TEXT,
    created_at REAL NOT NULL,
    taken_at REAL,
    ended_at REAL,
    updated_at REAL NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS tickets_one_open_per_session
    ON tickets(session_id) WHERE status IN ('queued','callback','active');
CREATE INDEX IF NOT EXISTS tickets_status ON tickets(status);
CREATE INDEX IF NOT EXISTS tickets_session ON tickets(session_id, id);
CREATE TABLE IF NOT EXISTS agent_heartbeats (
    agent TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS ticket_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL,
    at REAL NOT NULL,
    actor TEXT,
    event TEXT NOT NULL
);
"""


_local = threading.local()


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA synchronous=NORMAL")  # safe with WAL
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """An autocommit connection to the service database (WAL, waits up to 10 s on locks).

    Each thread keeps one open connection per file: closing the last connection of a WAL database
    checkpoints it, which would cost an fsync on every call.
    """
    cache: dict[Path, sqlite3.Connection] = _local.__dict__.setdefault("connections", {})
    conn = cache.get(path)
    if conn is None or not path.exists():
        conn = cache[path] = _open(path)
    yield conn


@contextmanager
def transaction(conn: sqlite3.Connection, immediate: bool = True) -> Iterator[sqlite3.Connection]:
    """Run a block in a transaction, committed or rolled back.

    `immediate` takes the write lock at once (read-then-write decisions such as taking a ticket);
    otherwise the lock is taken by the first write.
    """
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def init_schema(path: Path) -> None:
    """Create the tables if they do not exist yet."""
    with connect(path) as conn:
        conn.executescript(SCHEMA)
