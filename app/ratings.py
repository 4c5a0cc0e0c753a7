"""Customer ratings of conversations (0-10), kept for the feedback loop.

Stored in the service database as `ratings(session_id, rating, comment, created_at)`: the finetune
pipeline reads low-rated conversations from exactly this table. One rating per conversation: a
second rating replaces the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from app.settings import Settings
from storage import open_database

MIN_RATING = 0
MAX_RATING = 10
MAX_COMMENT_CHARS = 1000



class RatingError(ValueError):
    """A rating that cannot be stored (out of range, empty session); the message is safe to show."""


def _clean_comment(comment: Any) -> str:
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise RatingError("comment must be text")
    cleaned = "".join(ch for ch in comment if ch in "\n\t" or ch.isprintable()).strip()
    if len(cleaned) > MAX_COMMENT_CHARS:
        raise RatingError(f"comment is longer than {MAX_COMMENT_CHARS} characters")
    return cleaned


def _row(row: Any) -> dict[str, Any]:
    return {"session_id": row[0], "rating": row[1], "comment": row[2], "created_at": row[3]}


class RatingStore:
    """Ratings of one shop."""

    def __init__(self, settings: Settings) -> None:
        self.db = open_database(settings, "service")

    def rate(self, session_id: str, rating: Any, comment: Any = None) -> dict[str, Any]:
        """Store the rating of a conversation; `replaced` says whether an earlier one was overwritten."""
        if not isinstance(session_id, str) or not session_id.strip():
            raise RatingError("session is empty")
        if isinstance(rating, bool) or not isinstance(rating, int):
            raise RatingError("rating must be a whole number from 0 to 10")
        if not MIN_RATING <= rating <= MAX_RATING:
            raise RatingError(f"rating must be from {MIN_RATING} to {MAX_RATING}, got {rating}")
        text = _clean_comment(comment)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.transaction() as conn:
            replaced = conn.execute("DELETE FROM ratings WHERE session_id=?", (session_id,)).rowcount > 0
            conn.execute(
                "INSERT INTO ratings(session_id, rating, comment, created_at) VALUES (?,?,?,?)",
                (session_id, rating, text, created),
            )
        return {
            "session_id": session_id,
            "rating": rating,
            "comment": text,
            "created_at": created,
            "replaced": replaced,
        }

    def get(self, session_id: str) -> dict[str, Any] | None:
        """The rating of one conversation, or None."""
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT session_id, rating, comment, created_at FROM ratings WHERE session_id=?",
                (session_id,),
            ).fetchone()
        return _row(row) if row else None

    def list(self, below: int | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Ratings, newest first; with `below`, only ratings strictly lower than it (the feedback loop)."""
        limit = max(1, min(int(limit), 10_000))
        query = "SELECT session_id, rating, comment, created_at FROM ratings"
        args: tuple[Any, ...] = ()
        if below is not None:
            query += " WHERE rating < ?"
            args = (int(below),)
        with self.db.transaction() as conn:
            rows = conn.execute(
                query + " ORDER BY created_at DESC, session_id DESC LIMIT ?", (*args, limit)
            ).fetchall()
        return [_row(r) for r in rows]

    def by_session(self, sessions: Iterable[str]) -> dict[str, int]:
        """The rating of each of these conversations that has one."""
        wanted, found = sorted(set(sessions)), dict[str, int]()
        with self.db.connect() as conn:
            for start in range(0, len(wanted), 500):  # SQLite caps the number of bound parameters
                chunk = wanted[start:start + 500]
                rows = conn.execute(f"SELECT session_id, rating FROM ratings WHERE session_id IN "
                                    f"({','.join('?' * len(chunk))})", chunk).fetchall()
                found.update({str(row[0]): int(row[1]) for row in rows})
        return found
