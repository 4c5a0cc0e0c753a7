"""The source of truth of the policies: versions, chunks, effective dates, drafts and the audit log.

Its tables live in the knowledge part of the relational state (storage: `kb.db` under the data dir, or
Postgres with KEFU_DATABASE_URL; schema by migrations). Every change of what is served bumps a generation
counter that every process and node compares before each search, so a change is served everywhere from the
next query on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from knowledge.documents import PolicyDoc
from storage import Database, Row
from storage.database import Conn


def now_iso() -> str:
    """The current UTC time as an ISO string (audit and version stamps)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Registry:
    """Typed access to the policy tables. Writers take turns (storage's write transactions)."""

    def __init__(self, db: Database | Path) -> None:
        if not isinstance(db, Database):  # a kb.db file, e.g. of a data dir opened directly
            from storage.migrate import upgrade

            db = Database(f"sqlite:///{Path(db).resolve()}", "kb")
            upgrade(db)
        self.db = db

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        """The rows of one query (outside a write: on a connection of its own)."""
        with self.db.connect() as conn:
            return list(conn.execute(sql, params).fetchall())

    def row(self, sql: str, params: tuple[Any, ...] = ()) -> Row | None:
        """The first row of one query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    @contextmanager
    def write(self, bump: bool = True) -> Iterator[Conn]:
        """One write transaction; `bump` also bumps the generation counter other processes watch
        (every change of policies; drafts do not change what is served)."""
        with self.db.transaction() as conn:
            yield conn
            if bump:
                conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                             "WHERE key='generation'")

    def generation(self) -> int:
        """Counter bumped by every write; other processes compare it before each search."""
        row = self.row("SELECT value FROM meta WHERE key='generation'")
        return int(row[0]) if row else 0

    def meta(self, key: str) -> str | None:
        """A value of the meta table (None when absent)."""
        row = self.row("SELECT value FROM meta WHERE key=?", (key,))
        return None if row is None else str(row[0])

    # ---------- reads ----------
    def exists(self, pid: str) -> bool:
        """Whether a policy id was ever stored."""
        return self.row("SELECT 1 FROM policies WHERE id=?", (pid,)) is not None

    def policy(self, pid: str) -> Row | None:
        """The policy row (retirement state) or None."""
        return self.row("SELECT * FROM policies WHERE id=?", (pid,))

    def versions(self, pid: str) -> list[Row]:
        """All versions of a policy, oldest first."""
        return self.rows("SELECT * FROM versions WHERE policy_id=? ORDER BY version", (pid,))

    def version(self, pid: str, version: int) -> Row | None:
        """One version row or None."""
        return self.row("SELECT * FROM versions WHERE policy_id=? AND version=?", (pid, version))

    def max_version(self, pid: str) -> int:
        """Highest version number of a policy (0 if none)."""
        row = self.row("SELECT MAX(version) FROM versions WHERE policy_id=?", (pid,))
        return int(row[0] or 0) if row else 0

    def policy_ids(self) -> list[str]:
        """Every policy id, sorted."""
        return [r[0] for r in self.rows("SELECT id FROM policies ORDER BY id")]

    def candidates(self, today: date | None = None) -> dict[str, Row]:
        """Per live policy, the version in force at `today` (None: the newest started or not).

        The version in force is the highest non-withdrawn version whose effective_from has come;
        it is served only while its own effective_to has not passed.
        """
        rows = self.rows(
            "SELECT v.* FROM versions v JOIN policies p ON p.id = v.policy_id "
            "WHERE p.retired_at IS NULL AND v.withdrawn = 0 ORDER BY v.policy_id, v.version"
        )
        day = today.isoformat() if today else None
        out: dict[str, Row] = {}
        for row in rows:
            if day is None or row["effective_from"] is None or row["effective_from"] <= day:
                out[row["policy_id"]] = row
        if day is not None:
            out = {k: r for k, r in out.items() if r["effective_to"] is None or r["effective_to"] >= day}
        return out

    def scheduled(self, today: date) -> list[Row]:
        """Live versions that start after `today` (kept in the vector store, served from their date)."""
        return self.rows(
            "SELECT v.* FROM versions v JOIN policies p ON p.id = v.policy_id WHERE p.retired_at IS NULL "
            "AND v.withdrawn = 0 AND v.effective_from > ?",
            (today.isoformat(),),
        )

    def chunks(self, pid: str, version: int) -> list[Row]:
        """The chunks of one version, in order."""
        return self.rows("SELECT * FROM chunks WHERE policy_id=? AND version=? ORDER BY idx", (pid, version))

    def chunk_counts(self, pids: list[str]) -> dict[tuple[str, int], int]:
        """(policy id, version) -> number of chunks, for every version of `pids`."""
        out: dict[tuple[str, int], int] = {}
        for pid in pids:
            for row in self.rows("SELECT version, COUNT(*) FROM chunks WHERE policy_id=? GROUP BY version", (pid,)):
                out[(pid, int(row[0]))] = int(row[1])
        return out

    def chunks_of(self, keys: set[tuple[str, int]]) -> list[Row]:
        """The chunks of the given (policy id, version) pairs."""
        rows = self.rows("SELECT * FROM chunks ORDER BY policy_id, version, idx")
        return [r for r in rows if (r["policy_id"], r["version"]) in keys]

    def audit(self, pid: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Audit entries, newest first (one policy or all)."""
        sql = "SELECT * FROM audit" + (" WHERE policy_id=?" if pid else "") + " ORDER BY seq DESC LIMIT ?"
        args: tuple[Any, ...] = (pid, limit) if pid else (limit,)
        return [dict(r) for r in self.rows(sql, args)]

    # ---------- writes (call inside `write()`) ----------
    def insert_version(
        self,
        conn: Conn,
        doc: PolicyDoc,
        version: int,
        editor: str,
        chunks: list[tuple[str, str]],
    ) -> None:
        """Store a version and its chunks (inside `write()`); publishing a retired id revives it."""
        stamp = now_iso()
        conn.execute("INSERT INTO policies(id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", (doc.id, stamp))
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
        conn: Conn,
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


def row_doc(row: Row) -> PolicyDoc:
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
