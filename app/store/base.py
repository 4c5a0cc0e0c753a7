"""The database of one shop store (storage.Database: a SQLite file, or Postgres with KEFU_DATABASE_URL).

Writes run in `transaction()`, in which writers of the store take turns, so a re-validated write is atomic
across processes and machines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storage import Database, DatabaseUnavailable


class StoreError(Exception):
    """The store is missing, unreachable, corrupt or not a kefu shop."""


class StoreBase:
    """Owns the database handle; subclasses add the read and write methods."""

    def __init__(self, db: Database | Path) -> None:
        if not isinstance(db, Database):
            db = _sqlite_file(Path(db))
        self.db = db
        self.path = db.path  # the SQLite file (None on Postgres)
        try:
            with db.connect() as conn:
                row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except DatabaseUnavailable as exc:
            raise StoreError(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - sqlite3 and psycopg name a broken file differently
            raise StoreError(f"{db} is not a kefu shop store: {exc}") from exc
        if row is None:
            raise StoreError(f"{db} holds no shop yet")

    def close(self) -> None:
        """Closes the connections (SQLite); the Store cannot be used afterwards."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested uses join the outer one."""
        with self.db.transaction():
            yield

    def _rows(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
        with self.db.connect() as conn:
            return [dict(row) for row in conn.execute(sql, params).fetchall()]

    def _row(self, sql: str, params: tuple | list = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _execute(self, sql: str, params: tuple | list = ()) -> int:
        """Runs one write statement; returns the number of rows it changed."""
        with self.db.connect() as conn:
            return int(conn.execute(sql, params).rowcount)

    def _insert(self, sql: str, params: tuple | list, key: str) -> int:
        """Runs one INSERT; returns the new row's `key`."""
        with self.db.connect() as conn:
            return conn.insert(sql, params, key)


def _sqlite_file(path: Path) -> Database:
    """The Database of an existing SQLite store file, brought to the newest schema."""
    from storage.migrate import upgrade

    if not path.exists():
        raise StoreError(f"no shop store at {path}")
    db = Database(f"sqlite:///{path.resolve()}", "shop")
    try:
        upgrade(db)
    except Exception as exc:  # noqa: BLE001 - a file that is not a database fails inside the migration
        db.close()
        raise StoreError(f"{path} is not a kefu shop store: {exc}") from exc
    return db
