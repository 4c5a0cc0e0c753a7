"""The feedback loop: customer ratings pull weak conversations into the next training set.

kefu stores ratings in its service database (`settings.service_path` with SQLite, or the Postgres of
KEFU_DATABASE_URL), table `ratings(session_id TEXT, rating INTEGER 0-10, comment TEXT, created_at TEXT)`. Conversations
rated below the threshold (default 8) join the next training set; their bot turns are excluded
from the loss (the answer was judged poor) while turns written by a human agent — the correction
after a handoff — are trained on. A refresh replaces a share (default 10%) of the previous
training set with new dialogues, low-rated ones first.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from finetune.dialogues import Dialogue


class RatingsError(ValueError):
    """The ratings database cannot be read."""


def load_ratings(db_path: str | Path) -> dict[str, dict[str, Any]]:
    """Session id -> latest {rating, comment, created_at} from the ratings table (a service.db file, or a
    postgresql:// URL)."""
    if str(db_path).startswith(("postgresql://", "postgres://")):
        return _ratings_from_postgres(str(db_path))
    path = Path(db_path)
    if not path.is_file():
        raise RatingsError(f"ratings database not found: {path}")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT session_id, rating, comment, created_at FROM ratings ORDER BY created_at"
            ).fetchall()
    except sqlite3.Error as exc:
        raise RatingsError(f"cannot read ratings from {path}: {exc}") from exc
    return {
        str(sid): {"rating": int(r), "comment": c, "created_at": ts}
        for sid, r, c, ts in rows
        if r is not None
    }


def _ratings_from_postgres(url: str) -> dict[str, dict[str, Any]]:
    from storage import Database, DatabaseUnavailable

    try:
        with Database(url, "service").connect() as conn:
            rows = conn.execute("SELECT session_id, rating, comment, created_at FROM ratings ORDER BY created_at")
            found = rows.fetchall()
    except DatabaseUnavailable as exc:
        raise RatingsError(f"cannot read ratings: {exc}") from exc
    return {str(r[0]): {"rating": int(r[1]), "comment": r[2], "created_at": r[3]} for r in found if r[1] is not None}


def attach_ratings(dialogues: list[Dialogue], ratings: dict[str, dict[str, Any]]) -> int:
    """Set each dialogue's rating from the table (by id); returns how many were matched."""
    matched = 0
    for d in dialogues:
        row = ratings.get(d.id)
        if row is not None:
            d.rating = int(row["rating"])  # type: ignore[arg-type]
            if row.get("comment"):
                d.meta["rating_comment"] = row["comment"]
            matched += 1
    return matched


def mark_low_rated(dialogues: list[Dialogue], threshold: int = 8) -> list[Dialogue]:
    """Flag dialogues rated below `threshold` and exclude their bot turns from the loss; dialogues that
    kefu's `feedback export` already flagged (`meta.feedback`: handed to a human) join the feedback set
    as they are. Returns the feedback set."""
    low = []
    for d in dialogues:
        if d.rating is not None and d.rating < threshold:
            d.meta["feedback"] = True
            no_loss = set(d.meta.get("no_loss_turns", []))
            no_loss |= {i for i, t in enumerate(d.turns) if t.role == "agent" and t.by != "human"}
            d.meta["no_loss_turns"] = sorted(no_loss)
        if d.meta.get("feedback"):
            low.append(d)
    return low


@dataclass
class RefreshReport:
    """How a refresh changed the training set."""

    previous: int
    replaced: int
    added_feedback: int
    size: int
    wanted: int = 0
    """round(previous x share): fewer are replaced when fewer new dialogues came in."""


def refresh(
    previous: list[Dialogue], fresh: list[Dialogue], share: float = 0.10, seed: int = 0
) -> tuple[list[Dialogue], RefreshReport]:
    """Replace `share` of `previous` with `fresh` dialogues (rated-low first); size is kept."""
    if not 0 <= share <= 1:
        raise ValueError(f"refresh share must be within [0, 1], got {share}")
    rng = random.Random(seed)
    known = {d.id for d in previous}
    candidates = [d for d in fresh if d.id not in known]
    candidates.sort(key=lambda d: (not d.meta.get("feedback"), rng.random()))
    k = min(round(len(previous) * share), len(candidates))
    keep = previous[:]
    rng.shuffle(keep)
    incoming = candidates[:k]
    result = keep[: len(previous) - k] + incoming
    added_fb = sum(1 for d in incoming if d.meta.get("feedback"))
    return result, RefreshReport(len(previous), k, added_fb, len(result), round(len(previous) * share))
