"""The deployment's relational state as the app opens it: schema upgrades of every part and the LangGraph
checkpointer (SQLite file under the data dir, or Postgres with KEFU_DATABASE_URL, sharing the pool)."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.settings import Settings
from storage import Database, DatabaseUnavailable, open_database
from storage.database import advisory_lock, postgres_pool, redact
from storage.migrate import MIGRATED_PARTS, upgrade


def upgrade_all(settings: Settings) -> dict[str, Any]:
    """Every part at its newest schema revision, checkpoints included; what changed."""
    parts: dict[str, Any] = {}
    for part in MIGRATED_PARTS:
        db = open_database(settings, part, migrate=False)
        parts[part] = upgrade(db)
    checkpointer(settings)
    parts["checkpoints"] = {"part": "checkpoints", "to": "langgraph"}
    where = redact(settings.database_url) if settings.database_url else f"sqlite files in {settings.data_dir}"
    return {"database": where, "parts": parts}


def check_reachable(settings: Settings) -> None:
    """Raises DatabaseUnavailable (naming the server and the driver's reason) when Postgres cannot be reached."""
    if settings.database_url:
        postgres_pool(settings.database_url, settings.db_pool_size, settings.db_timeout_s)


def checkpointer(settings: Settings) -> Any:
    """A LangGraph checkpointer for this deployment, its tables created if missing."""
    if settings.database_url:
        from langgraph.checkpoint.postgres import PostgresSaver

        pool = postgres_pool(settings.database_url, settings.db_pool_size, settings.db_timeout_s)
        saver = PostgresSaver(pool)
        try:
            with pool.connection() as conn, advisory_lock(conn, "kefu:migrate:checkpoints"):
                saver.setup()  # one node at a time runs the saver's own migrations
        except Exception as exc:
            if "Operational" in type(exc).__name__ or "PoolTimeout" in type(exc).__name__:
                raise DatabaseUnavailable(f"cannot set up checkpoints in {redact(settings.database_url)}: {exc}") \
                    from exc
            raise
        return saver
    from langgraph.checkpoint.sqlite import SqliteSaver

    settings.ensure_dirs()
    conn = sqlite3.connect(settings.checkpoint_path, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: no corruption on power loss, fewer fsyncs
    return SqliteSaver(conn)


def session_ids(settings: Settings, saver: Any) -> list[str]:
    """Ids of every stored conversation."""
    if settings.database_url:
        db: Database = open_database(settings, "service")
        with db.connect() as conn:
            rows = conn.execute("SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id").fetchall()
    else:
        rows = saver.conn.execute("SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id").fetchall()
    return [str(row[0]) for row in rows]
