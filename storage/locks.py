"""One conversation's turns never run at once: a lock per session, across threads, processes and machines.

- Postgres: a transaction-scoped advisory lock (`pg_advisory_xact_lock`) held for the turn on a connection
  of its own pool; a node that dies mid-turn drops its connection and with it the lock, so the next turn
  runs on another node at once.
- SQLite (one machine): a byte-range lock (`lockf`) on `sessions.lock` in the data dir, one byte per
  session hash, held by one thread of the process at a time.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.database import DatabaseUnavailable, lock_key, postgres_pool

WAIT_S = 60.0
"""How long a turn waits for the same session's running turn before it gives up."""


class SessionBusy(TimeoutError):
    """Another turn of the same session held the lock for longer than the wait allows."""


class SessionLocks:
    """Locks of one deployment's sessions: Postgres at `url`, else the byte-range file in `lock_dir`."""

    def __init__(self, url: str | None, lock_dir: Path, pool_size: int = 10, timeout_s: float = 10.0,
                 wait_s: float = WAIT_S) -> None:
        self.url = url
        self.wait_s = wait_s
        self._threads: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()
        self._guard = threading.Lock()
        self._pool = postgres_pool(url, pool_size, timeout_s, purpose="session-locks") if url else None
        self._file = None if url else Path(lock_dir) / "sessions.lock"

    def _thread_lock(self, session: str) -> threading.Lock:
        with self._guard:
            lock = self._threads.get(session)
            if lock is None:
                lock = threading.Lock()
                self._threads[session] = lock
            return lock

    @contextmanager
    def hold(self, session: str) -> Iterator[None]:
        """Runs the block while no other thread, process or node runs a turn of `session`."""
        lock = self._thread_lock(session)
        if not lock.acquire(timeout=self.wait_s):
            raise SessionBusy(f"session {session} is busy")
        try:
            if self._pool is not None:
                with self._postgres(session):
                    yield
            else:
                with self._byte_range(session):
                    yield
        finally:
            lock.release()

    @contextmanager
    def _postgres(self, session: str) -> Iterator[None]:
        import psycopg
        from psycopg_pool import PoolTimeout

        assert self._pool is not None
        try:
            conn = self._pool.getconn()
        except (PoolTimeout, psycopg.Error) as exc:
            raise DatabaseUnavailable(f"no connection for the session lock: {exc}") from exc
        try:
            try:  # one round trip: the key is an integer computed here, the timeout a number
                conn.execute(f"BEGIN; SET LOCAL lock_timeout = '{int(self.wait_s * 1000)}ms'; "
                             f"SELECT pg_advisory_xact_lock({lock_key(f'kefu:session:{session}')})", prepare=False)
            except psycopg.errors.LockNotAvailable as exc:
                raise SessionBusy(f"session {session} is busy") from exc
            except psycopg.OperationalError as exc:
                raise DatabaseUnavailable(f"lost the database connection: {' '.join(str(exc).split())}") from exc
            yield
            try:
                conn.execute("COMMIT")
            except psycopg.OperationalError as exc:
                raise DatabaseUnavailable(f"lost the database connection: {' '.join(str(exc).split())}") from exc
        finally:
            self._pool.putconn(conn)  # rolled back (lock released) if still in the transaction

    @contextmanager
    def _byte_range(self, session: str) -> Iterator[None]:
        fd = _lock_fd(self._file)
        offset = lock_key(f"kefu:session:{session}") & 0x7FFF_FFFF_FFFF
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SessionBusy(f"session {session} is busy") from None
                time.sleep(0.005)
        try:
            yield
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, offset)


_FDS: dict[Path, int] = {}
_FDS_LOCK = threading.Lock()


def _lock_fd(path: Path | None) -> int:
    """The process's descriptor of a lock file, never closed (closing any descriptor of a file drops every
    POSIX lock the process holds on it)."""
    assert path is not None
    with _FDS_LOCK:
        fd = _FDS.get(path)
        if fd is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = _FDS[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return fd
