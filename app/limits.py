"""Rate limits per shopper and per client address: chat turns, handoff tickets, wrong passwords.

The counting is the `limits` library's fixed-window strategy; its counters live in the service database
(a SQLite file under the data dir, or Postgres) through the small `DatabaseStorage` below, so every
`kefu serve` worker and node of a shop counts together (the library's own storages are process memory,
Redis, Memcached or MongoDB, and kefu keeps no state in process memory only, nor needs Redis). Limits
are written in the library's notation in settings ("30/minute"); an empty string switches one off.
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from app.settings import Settings
from storage import Database, DatabaseUnavailable, IntegrityError, open_database

SWEEP_EVERY_S = 10.0
"""How often one process deletes expired counters."""


class DatabaseStorage(Storage):
    """A `limits` storage for the fixed-window strategy, in one table of the service database shared by
    every process and node (an atomic upsert per hit)."""

    STORAGE_SCHEME = ["kefu-database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, *, db: Database,
                 clock: Callable[[], float] = time.time, **options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.db, self.clock = db, clock
        self._swept = 0.0

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return (sqlite3.Error, DatabaseUnavailable, IntegrityError)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """One atomic upsert: an expired window restarts at `amount` (no read-then-write, so concurrent hits on
        several nodes neither lose counts nor deadlock); expired rows of other keys are swept now and then."""
        now = self.clock()
        if now - self._swept > SWEEP_EVERY_S:
            self._swept = now
            with self.db.connect() as conn:
                conn.execute("DELETE FROM rate_limits WHERE expires_at <= ?", (now,))
        with self.db.connect() as conn:
            row = conn.execute(
                "INSERT INTO rate_limits(key, count, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "count = CASE WHEN rate_limits.expires_at <= ? THEN excluded.count "
                "ELSE rate_limits.count + excluded.count END, "
                "expires_at = CASE WHEN rate_limits.expires_at <= ? THEN excluded.expires_at "
                "ELSE rate_limits.expires_at END RETURNING count",
                (key, amount, now + expiry, now, now)).fetchone()
        return int(row[0])

    def _row(self, key: str) -> tuple[int, float] | None:
        with self.db.connect() as conn:
            row = conn.execute("SELECT count, expires_at FROM rate_limits WHERE key=? AND expires_at > ?",
                               (key, self.clock())).fetchone()
        return (int(row[0]), float(row[1])) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else self.clock()

    def check(self) -> bool:
        with self.db.connect() as conn:
            conn.execute("SELECT 1").fetchone()
        return True

    def reset(self) -> int | None:
        with self.db.connect() as conn:
            return conn.execute("DELETE FROM rate_limits").rowcount

    def clear(self, key: str) -> None:
        with self.db.connect() as conn:
            conn.execute("DELETE FROM rate_limits WHERE key=?", (key,))


class RateLimited(Exception):
    """A request over one of the limits: `str(exc)` says which, `retry_after` when to come back (seconds)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimits:
    """The shop's limits, read from its settings."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self._limiter = FixedWindowRateLimiter(DatabaseStorage(db=open_database(settings, "service"), clock=clock))

    def _item(self, field: str) -> RateLimitItem | None:
        text = str(getattr(self.settings, field) or "").strip()
        return parse(text) if text else None

    def _hit(self, what: str, checks: list[tuple[str, str | None]]) -> None:
        """Count one request against each (settings field, identifier); RateLimited when one is over (a
        refused request still counts, so hammering does not get easier)."""
        wait = 0
        for field, ident in checks:
            item = self._item(field)
            if item is not None and ident and not self._limiter.hit(item, field, ident):
                reset = self._limiter.get_window_stats(item, field, ident).reset_time
                wait = max(wait, 1, math.ceil(reset - self.clock()))
        if wait:
            raise RateLimited(f"too many {what}: try again in {wait} s", wait)

    def turn(self, user: str, address: str | None) -> None:
        """A chat turn of `user` from `address`."""
        self._hit("messages", [("turn_limit_per_user", user), ("turn_limit_per_address", address)])

    def handoff(self, user: str | None, address: str | None) -> None:
        """A new human-handoff ticket."""
        self._hit("requests for a human agent",
                  [("handoff_limit_per_user", user), ("handoff_limit_per_address", address)])

    def login_allowed(self, address: str | None) -> int:
        """Seconds before `address` may try a password again (0: now), without counting."""
        item = self._item("login_failures_per_address")
        if item is None or not address:
            return 0
        if self._limiter.test(item, "login_failures_per_address", address):
            return 0
        reset = self._limiter.get_window_stats(item, "login_failures_per_address", address).reset_time
        return max(1, math.ceil(reset - self.clock()))

    def login_failed(self, address: str | None) -> None:
        """Count a wrong password from `address`."""
        item = self._item("login_failures_per_address")
        if item is not None and address:
            self._limiter.hit(item, "login_failures_per_address", address)
