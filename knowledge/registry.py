"""SQLite source of truth: policies, versions, chunks, effective dates and the audit log."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from knowledge.documents import PolicyDoc

SCHEMA = """
CREATE TABLE IF NOT EXISTS policies (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, retired_at TEXT, retired_by TEXT);
CREATE TABLE IF NOT EXISTS versions (
    policy_id TEXT NOT NULL REFERENCES policies(id), version INTEGER NOT NULL,
    title TEXT NOT NULL, category TEXT NOT NULL, locale TEXT NOT NULL,
    effective_from TEXT, effective_to TEXT, body TEXT NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, editor TEXT NOT NULL,
    PRIMARY KEY (policy_id, version));
CREATE TABLE IF NOT EXISTS chunks (
    policy_id TEXT NOT NULL, version INTEGER NOT NULL, idx INTEGER NOT NULL,
    text TEXT NOT NULL, terms TEXT NOT NULL, PRIMARY KEY (policy_id, version, idx));
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, editor TEXT NOT NULL,
    policy_id TEXT NOT NULL, action TEXT NOT NULL, from_version INTEGER, to_version INTEGER,
    detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS audit_policy ON audit(policy_id, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0');
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, policy_id TEXT, base_version INTEGER, replaces INTEGER,
    is_new INTEGER NOT NULL DEFAULT 0, markdown TEXT NOT NULL, effective_from TEXT,
    editor TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
"""
# Columns added after the first release: (table, column, declaration); added to older stores on open.
MIGRATIONS = [
    ("versions", "twin", "TEXT"),
    ("policies", "outdated_by", "TEXT"),
    ("policies", "outdated_version", "INTEGER"),
]


def now_iso() -> str:
    """The current UTC time as an ISO string (audit and version stamps)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Registry:
    """Typed access to kb.db (WAL). Writers hold `BEGIN IMMEDIATE`, so processes take turns."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA busy_timeout=30000")
        self.conn.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        for table, column, declaration in MIGRATIONS:
            have = {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                try:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
                except sqlite3.OperationalError as exc:  # another process added it first
                    if "duplicate column" not in str(exc):
                        raise

    @contextmanager
    def write(self, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction; `bump` also bumps the generation counter other processes watch
        (every change of policies; drafts do not change what is served)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            if bump:
                self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def generation(self) -> int:
        """Counter bumped by every write; other processes compare it before each search."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0])

    def meta(self, key: str) -> str | None:
        """A value of the meta table (None when absent)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # ---------- reads ----------
    def exists(self, pid: str) -> bool:
        """Whether a policy id was ever stored."""
        return self.conn.execute("SELECT 1 FROM policies WHERE id=?", (pid,)).fetchone() is not None

    def policy(self, pid: str) -> sqlite3.Row | None:
        """The policy row (retirement state) or None."""
        return self.conn.execute("SELECT * FROM policies WHERE id=?", (pid,)).fetchone()

    def versions(self, pid: str) -> list[sqlite3.Row]:
        """All versions of a policy, oldest first."""
        return self.conn.execute(
            "SELECT * FROM versions WHERE policy_id=? ORDER BY version", (pid,)
        ).fetchall()

    def version(self, pid: str, version: int) -> sqlite3.Row | None:
        """One version row or None."""
        return self.conn.execute(
            "SELECT * FROM versions WHERE policy_id=? AND version=?", (pid, version)
        ).fetchone()

    def max_version(self, pid: str) -> int:
        """Highest version number of a policy (0 if none)."""
        row = self.conn.execute("SELECT MAX(version) FROM versions WHERE policy_id=?", (pid,)).fetchone()
        return int(row[0] or 0)

    def policy_ids(self) -> list[str]:
        """Every policy id, sorted."""
        return [r[0] for r in self.conn.execute("SELECT id FROM policies ORDER BY id")]

    def candidates(self, today: date | None = None) -> dict[str, sqlite3.Row]:
        """Per live policy, the version in force at `today` (None: the newest started or not).

        The version in force is the highest non-withdrawn version whose effective_from has come;
        it is served only while its own effective_to has not passed.
        """
        rows = self.conn.execute(
            "SELECT v.* FROM versions v JOIN policies p ON p.id = v.policy_id "
            "WHERE p.retired_at IS NULL AND v.withdrawn = 0 ORDER BY v.policy_id, v.version"
        ).fetchall()
        day = today.isoformat() if today else None
        out: dict[str, sqlite3.Row] = {}
        for row in rows:
            if day is None or row["effective_from"] is None or row["effective_from"] <= day:
                out[row["policy_id"]] = row
        if day is not None:
            out = {k: r for k, r in out.items() if r["effective_to"] is None or r["effective_to"] >= day}
        return out

    def scheduled(self, today: date) -> list[sqlite3.Row]:
        """Live versions that start after `today` (kept in the vector store, served from their date)."""
        return self.conn.execute(
            "SELECT v.* FROM versions v JOIN policies p ON p.id = v.policy_id WHERE p.retired_at IS NULL "
            "AND v.withdrawn = 0 AND v.effective_from > ?",
            (today.isoformat(),),
        ).fetchall()

    def chunks(self, pid: str, version: int) -> list[sqlite3.Row]:
        """The chunks of one version, in order."""
        return self.conn.execute(
            "SELECT * FROM chunks WHERE policy_id=? AND version=? ORDER BY idx", (pid, version)
        ).fetchall()

    def chunk_counts(self, pids: list[str]) -> dict[tuple[str, int], int]:
        """(policy id, version) -> number of chunks, for every version of `pids`."""
        out: dict[tuple[str, int], int] = {}
        for pid in pids:
            for row in self.conn.execute(
                "SELECT version, COUNT(*) FROM chunks WHERE policy_id=? GROUP BY version", (pid,)
            ):
                out[(pid, int(row[0]))] = int(row[1])
        return out

    def chunks_of(self, keys: set[tuple[str, int]]) -> list[sqlite3.Row]:
        """The chunks of the given (policy id, version) pairs."""
        rows = self.conn.execute("SELECT * FROM chunks ORDER BY policy_id, version, idx").fetchall()
        return [r for r in rows if (r["policy_id"], r["version"]) in keys]

    def audit(self, pid: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Audit entries, newest first (one policy or all)."""
        sql = "SELECT * FROM audit" + (" WHERE policy_id=?" if pid else "") + " ORDER BY seq DESC LIMIT ?"
        args: tuple[Any, ...] = (pid, limit) if pid else (limit,)
        return [dict(r) for r in self.conn.execute(sql, args)]

    # ---------- writes (call inside `write()`) ----------
    def insert_version(
        self,
        conn: sqlite3.Connection,
        doc: PolicyDoc,
        version: int,
        editor: str,
        chunks: list[tuple[str, str]],
    ) -> None:
        """Store a version and its chunks (inside `write()`); publishing a retired id revives it."""
        stamp = now_iso()
        conn.execute("INSERT OR IGNORE INTO policies(id, created_at) VALUES (?, ?)", (doc.id, stamp))
        conn.execute("UPDATE policies SET retired_at=NULL, retired_by=NULL WHERE id=?", (doc.id,))
        conn.execute(
            "INSERT INTO versions(policy_id, version, title, category, locale, effective_from, "
            "effective_to, body, created_at, editor, twin) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id,
                version,
                doc.title,
                doc.category,
                doc.locale,
                _iso(doc.effective_from),
                _iso(doc.effective_to),
                doc.body,
                stamp,
                editor,
                doc.twin,
            ),
        )
        conn.execute("DELETE FROM chunks WHERE policy_id=? AND version=?", (doc.id, version))
        conn.executemany(
            "INSERT INTO chunks(policy_id, version, idx, text, terms) VALUES (?,?,?,?,?)",
            [(doc.id, version, i, text, terms) for i, (text, terms) in enumerate(chunks)],
        )

    @staticmethod
    def log(
        conn: sqlite3.Connection,
        editor: str,
        pid: str,
        action: str,
        from_version: int | None,
        to_version: int | None,
        detail: str = "",
    ) -> None:
        """Append an audit entry (inside `write()`)."""
        conn.execute(
            "INSERT INTO audit(ts, editor, policy_id, action, from_version, to_version, detail) "
            "VALUES (?,?,?,?,?,?,?)",
            (now_iso(), editor, pid, action, from_version, to_version, detail),
        )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def row_doc(row: sqlite3.Row) -> PolicyDoc:
    """A stored version row -> PolicyDoc."""
    return PolicyDoc(
        id=row["policy_id"],
        title=row["title"],
        body=row["body"],
        category=row["category"],
        locale=row["locale"],
        version=row["version"],
        effective_from=date.fromisoformat(row["effective_from"]) if row["effective_from"] else None,
        effective_to=date.fromisoformat(row["effective_to"]) if row["effective_to"] else None,
        twin=row["twin"],
    )
