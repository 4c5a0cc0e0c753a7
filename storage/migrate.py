"""Versioned schema migrations (Alembic), one chain of revisions per part, idempotent, on SQLite and Postgres.

`upgrade(db)` brings one part to its newest revision; `kefu db upgrade` runs it for every part and
`kefu serve` does so on start. Concurrent upgraders (two nodes starting together) take turns: an advisory
lock on Postgres, a lock file beside a SQLite database. The first revision of each part creates only what
is missing, so a data dir made before migrations existed is adopted as it is.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from storage.database import Database, DatabaseUnavailable, lock_key, redact

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATED_PARTS = ("shop", "service", "kb")


def _config(part: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_locations", str(MIGRATIONS / "versions" / part))
    config.set_main_option("path_separator", "os")
    config.attributes["part"] = part
    return config


@lru_cache(maxsize=8)
def head(part: str) -> str:
    """The newest revision of a part."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(_config(part)).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations of {part} have {len(heads)} heads: {heads}")
    return str(heads[0])


def current(db: Database) -> str | None:
    """The revision a database part is at (None: never migrated)."""
    try:
        with db.connect() as conn:
            row = conn.execute(f"SELECT version_num FROM alembic_version_{db.part}").fetchone()
    except DatabaseUnavailable:
        raise
    except Exception:  # noqa: BLE001 - no version table yet (sqlite3 and psycopg raise different errors)
        return None
    return str(row[0]) if row else None


def upgrade(db: Database, exclusive: bool = True, revision: str = "head") -> dict[str, Any]:
    """Brings `db` to the newest revision of its part (or to `revision`); answers {part, from, to}.

    `exclusive=False` skips the cross-process lock (a private file nobody else opens yet)."""
    target = head(db.part) if revision == "head" else revision
    before = current(db)
    if before == target:
        return {"part": db.part, "from": before, "to": target}
    if db.path is not None and before is None and revision == "head":
        with _exclusive(db, exclusive):
            if _copy_template(db):
                return {"part": db.part, "from": None, "to": current(db)}
    _run_alembic(db, exclusive, revision)
    return {"part": db.part, "from": before, "to": current(db)}


def _run_alembic(db: Database, exclusive: bool, revision: str = "head") -> None:
    from alembic import command
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    url = db.url.replace("postgresql://", "postgresql+psycopg://").replace("postgres://", "postgresql+psycopg://")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with _exclusive(db, exclusive), engine.connect() as connection:
            if db.postgres:  # session lock, polled (see storage.database.advisory_lock); freed on disconnect
                _poll_lock(connection, text, lock_key(f"kefu:migrate:{db.part}"))
            config = _config(db.part)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
    except DatabaseUnavailable:
        raise
    except Exception as exc:
        if "OperationalError" in type(exc).__name__ and db.postgres:
            raise DatabaseUnavailable(f"cannot migrate {redact(db.url)}: {exc}") from exc
        raise
    finally:
        engine.dispose()


def _poll_lock(connection: Any, text: Any, key: int, wait_s: float = 600.0) -> None:
    deadline = time.monotonic() + wait_s
    while not connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
        connection.commit()
        if time.monotonic() > deadline:
            raise DatabaseUnavailable(f"waited {wait_s:.0f} s for another node's schema migration")
        time.sleep(0.2)
    connection.commit()


_TEMPLATES: dict[str, Path] = {}
_TEMPLATES_LOCK = threading.Lock()


def _copy_template(db: Database) -> bool:
    """A new SQLite file starts as a copy of an empty database migrated once per process (milliseconds
    instead of a migration run per new data dir). False when the file already has content."""
    assert db.path is not None
    with db.connect() as conn:
        if conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            return False
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(db.part)
        if template is None:
            template = Path(tempfile.mkdtemp(prefix="kefu-schema-")) / f"{db.part}.db"
            _run_alembic(Database(f"sqlite:///{template}", db.part), exclusive=False)
            _TEMPLATES[db.part] = template
    db.close()
    tmp = db.path.with_name(f"{db.path.name}.new-{os.getpid()}-{threading.get_ident()}")
    shutil.copyfile(template, tmp)
    os.replace(tmp, db.path)
    for suffix in ("-wal", "-shm"):
        db.path.with_name(db.path.name + suffix).unlink(missing_ok=True)
    return True


@contextmanager
def _exclusive(db: Database, wanted: bool) -> Iterator[None]:
    """Across processes on this machine: one upgrader of a SQLite file at a time."""
    if db.path is None or not wanted:
        yield
        return
    db.path.parent.mkdir(parents=True, exist_ok=True)
    with open(db.path.with_name(db.path.name + ".migrate.lock"), "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
