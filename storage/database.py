"""One relational database: a SQLite file (WAL) or a Postgres server behind a connection pool.

Stores write one SQL dialect for both: `?` parameters, `ON CONFLICT ... DO ...`, `INSERT ... RETURNING`
(SQLite >= 3.35), no `rowid`, no SQLite-only functions. Rows answer `row["column"]`, `row[0]` and `dict(row)`.

A thread inside `connect()` or `transaction()` reuses its connection, so reads inside a transaction see
its writes and a thread never holds two pooled connections (no pool deadlock). `transaction(immediate=True)`
makes writers of one part take turns, as SQLite's `BEGIN IMMEDIATE` does, on Postgres with a
transaction-scoped advisory lock keyed by the part: read-then-write decisions (take a ticket, publish a
version, re-check an order before writing it) stay race-free on several machines.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached, or the connection was lost (the message names it, without password)."""


class IntegrityError(RuntimeError):
    """A constraint refused a write (unique key, foreign key, check)."""


class Row(tuple):
    """A result row of a Postgres query, read like sqlite3.Row: by column name or by position."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_index": {name: i for i, name in enumerate(names)}})


def _row_factory(cursor: Any) -> Any:
    names = tuple(column.name for column in cursor.description or ())
    cls = _row_class(names)
    return lambda values: tuple.__new__(cls, values)


@lru_cache(maxsize=4096)
def to_postgres(sql: str) -> str:
    """`?` parameters as psycopg's `%s` (literal `%` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for Postgres advisory locks."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


class Conn:
    """One connection as a store uses it: execute, executemany, insert returning the new key."""

    def __init__(self, raw: Any, postgres: bool) -> None:
        self.raw = raw
        self.postgres = postgres
        self.depth = 0  # open transactions (nested ones join the outermost)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Runs one statement; the result has fetchone(), fetchall(), rowcount and iterates rows."""
        try:
            if not self.postgres:
                return self.raw.execute(sql, tuple(params))
            cursor = self.raw.cursor(row_factory=_row_factory)
            cursor.execute(to_postgres(sql), _pg_params(params))
            return cursor
        except Exception as exc:
            raise _translated(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Runs one statement for each row of parameters."""
        if not rows:
            return
        try:
            if self.postgres:
                self.raw.cursor().executemany(to_postgres(sql), [_pg_params(r) for r in rows])
            else:
                self.raw.executemany(sql, rows)
        except Exception as exc:
            raise _translated(exc) from exc

    def insert(self, sql: str, params: Sequence[Any], key: str) -> int:
        """Runs an INSERT and answers the generated `key` column of the new row."""
        row = self.execute(f"{sql} RETURNING {key}", params).fetchone()
        return int(row[0])


def _pg_params(params: Sequence[Any]) -> tuple[Any, ...]:
    """Booleans as 0/1: kefu's tables keep flags in INTEGER columns (SQLite has no boolean type), and
    Postgres refuses a boolean for an integer."""
    return tuple(int(p) if isinstance(p, bool) else p for p in params)


def _translated(exc: Exception) -> Exception:
    """Driver errors as kefu's: lost connections and refused constraints; others unchanged."""
    if isinstance(exc, sqlite3.IntegrityError):
        return IntegrityError(str(exc))
    if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
        return DatabaseUnavailable(str(exc))
    module = type(exc).__module__
    if module.startswith("psycopg"):
        import psycopg

        if isinstance(exc, psycopg.IntegrityError):
            return IntegrityError(str(exc).strip())
        if isinstance(exc, psycopg.OperationalError):
            return DatabaseUnavailable(f"lost the database connection: {' '.join(str(exc).split())}")
    return exc


SQLITE_OUTAGES = ("locked", "busy", "unable to open", "disk i/o", "readonly")


def is_outage(exc: BaseException) -> bool:
    """Whether an exception means the database is unreachable, lost or busy beyond waiting (kefu's own, and
    what the LangGraph checkpointers raise from their drivers directly), not a bug in a query."""
    if isinstance(exc, DatabaseUnavailable):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return any(word in str(exc).lower() for word in SQLITE_OUTAGES)
    module = type(exc).__module__
    if module.startswith("psycopg_pool"):
        return type(exc).__name__ in ("PoolTimeout", "PoolClosed")
    if module.startswith("psycopg"):
        import psycopg

        return isinstance(exc, psycopg.OperationalError)
    return False


class Database:
    """One part (`shop`, `service`, `kb`) of kefu's relational state, at `url` (sqlite:///PATH or postgresql://)."""

    def __init__(self, url: str, part: str, *, pool_size: int = 10, timeout_s: float = 10.0) -> None:
        self.url = url
        self.part = part
        self.postgres = url.startswith(POSTGRES_SCHEMES)
        self.path = None if self.postgres else Path(url.removeprefix("sqlite:///"))
        self._write_lock = lock_key(f"kefu:write:{part}")
        self._local = threading.local()
        self._sqlite_conns: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._pool = postgres_pool(url, pool_size, timeout_s) if self.postgres else None
        self._timeout_s = timeout_s

    @property
    def dialect(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def __repr__(self) -> str:
        return f"Database({redact(self.url)!r}, part={self.part!r})"

    # connections ------------------------------------------------------------------------------
    @contextmanager
    def connect(self) -> Iterator[Conn]:
        """A connection in autocommit mode (this thread's current one, when it already holds one)."""
        current: Conn | None = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        if self._pool is None:
            self._local.conn = Conn(self._sqlite(), postgres=False)
            try:
                yield self._local.conn
            finally:
                self._local.conn = None
            return
        with self._pooled() as raw:
            self._local.conn = Conn(raw, postgres=True)
            try:
                yield self._local.conn
            finally:
                self._local.conn = None

    @contextmanager
    def _pooled(self) -> Iterator[Any]:
        from psycopg_pool import PoolTimeout

        assert self._pool is not None
        try:
            raw = self._pool.getconn(timeout=self._timeout_s)
        except PoolTimeout as exc:
            raise DatabaseUnavailable(f"no database connection within {self._timeout_s:.0f} s "
                                      f"({redact(self.url)})") from exc
        except Exception as exc:
            raise _translated(exc) from exc
        try:
            yield raw
        finally:
            self._pool.putconn(raw)  # rolled back if a transaction is left open, dropped if broken

    def _sqlite(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "sqlite", None)
        if conn is not None:
            return conn
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: no corruption on power loss, fewer fsyncs
            conn.execute("PRAGMA foreign_keys=ON")
        except (OSError, sqlite3.OperationalError) as exc:
            raise DatabaseUnavailable(f"cannot open {self.path}: {exc}") from exc
        self._local.sqlite = conn
        with self._guard:
            self._sqlite_conns.append(conn)
        return conn

    # transactions -----------------------------------------------------------------------------
    @contextmanager
    def transaction(self, immediate: bool = True) -> Iterator[Conn]:
        """A transaction, committed on exit and rolled back on error; nested uses join the outer one.

        `immediate`: writers of this part take turns from the first statement on (read-then-write)."""
        with self.connect() as conn:
            if conn.depth:
                conn.depth += 1
                try:
                    yield conn
                finally:
                    conn.depth -= 1
                return
            self._begin(conn, immediate)
            conn.depth = 1
            try:
                yield conn
            except BaseException:
                conn.depth = 0
                self._rollback(conn)
                raise
            conn.depth = 0
            conn.execute("COMMIT")

    def _begin(self, conn: Conn, immediate: bool) -> None:
        if not self.postgres:
            conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            return
        conn.execute("BEGIN")
        if immediate:
            try:
                conn.execute("SELECT pg_advisory_xact_lock(?)", (self._write_lock,))
            except BaseException:
                self._rollback(conn)
                raise

    @staticmethod
    def _rollback(conn: Conn) -> None:
        with contextlib.suppress(DatabaseUnavailable, sqlite3.Error):  # gone: the server rolls it back itself
            conn.execute("ROLLBACK")

    def close(self) -> None:
        """Closes the SQLite connections of every thread (a Postgres pool is shared and stays open)."""
        with self._guard:
            for conn in self._sqlite_conns:
                conn.close()
            self._sqlite_conns.clear()
        self._local = threading.local()


IDLE_CHECK_S = 2.0
"""A pooled connection idle for longer than this is checked before it is handed out."""
_POOLS: dict[tuple[str, str], Any] = {}
_POOLS_LOCK = threading.Lock()


def postgres_pool(url: str, size: int, timeout_s: float, purpose: str = "data") -> Any:
    """The process's connection pool to `url` for one purpose: `data` (every part and the checkpointer share
    it) or `session-locks` (connections held for a whole turn, apart so they never starve the data pool).

    Connections are autocommit with dict rows and no server-side prepared statements, as LangGraph's
    Postgres checkpointer needs; kefu's own queries ask for `Row`s per cursor. Raises DatabaseUnavailable
    with the driver's reason when the server cannot be reached."""
    with _POOLS_LOCK:
        pool = _POOLS.get((url, purpose))
        if pool is not None:
            return pool
        import psycopg
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
        try:  # one direct attempt first: its error says why (refused, bad password, no such database)
            psycopg.connect(dsn, connect_timeout=max(int(timeout_s), 1), **kwargs).close()  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"cannot connect to {redact(url)}: {' '.join(str(exc).split())}") from exc
        health = _IdleCheck()
        pool = ConnectionPool(dsn, min_size=1, max_size=max(int(size), 2), timeout=timeout_s, kwargs=kwargs,
                              check=health.check, reset=health.returned, open=False, name=f"kefu-{purpose}")
        pool.open(wait=False)
        _POOLS[(url, purpose)] = pool
        return pool


class _IdleCheck:
    """Checks a pooled connection before use only when it sat idle for a while: one round trip saved per
    checkout in busy traffic, while connections left over from before a database restart are still found
    and replaced before they fail a request."""

    def __init__(self, idle_s: float = IDLE_CHECK_S) -> None:
        self.idle_s = idle_s
        self._returned: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    def returned(self, conn: Any) -> None:
        self._returned[conn] = time.monotonic()

    def check(self, conn: Any) -> None:
        if time.monotonic() - self._returned.get(conn, 0.0) > self.idle_s:
            conn.execute("")  # what ConnectionPool.check_connection does; raises when the connection is dead


@contextmanager
def advisory_lock(conn: Any, name: str, wait_s: float = 600.0) -> Iterator[None]:
    """A session-level advisory lock on a raw psycopg connection, for one-time work such as schema setup.

    It is polled with pg_try_advisory_lock rather than waited for: a session blocked inside a statement
    would hold a snapshot, and CREATE INDEX CONCURRENTLY (which the checkpointer's setup runs) waits for every
    such snapshot, while the lock holder waits for the index: a deadlock between two starting nodes."""
    key, deadline = lock_key(name), time.monotonic() + wait_s
    while not _scalar(conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()):
        if time.monotonic() > deadline:
            raise DatabaseUnavailable(f"waited {wait_s:.0f} s for {name}")
        time.sleep(0.2)
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def _scalar(row: Any) -> Any:
    """The first value of a row, whatever the connection's row factory (tuples or dicts)."""
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


@atexit.register
def close_pools() -> None:
    """Closes every Postgres pool of this process."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.close(timeout=1.0)
        _POOLS.clear()
