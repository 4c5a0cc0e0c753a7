"""One row per conversation turn, written by the conversation service after each turn (the KPIs' source).

The dialogue state keeps only the last turn's intent, tier and timings, and checkpoints are pruned, so
the per-turn facts the KPIs need (when, how long, intent, emotion, who answered, the pilot's decision)
are kept here, in the service database next to tickets and ratings. This module is their only writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage import DeploymentSettings, open_database

_COLUMNS = ("session_id", "user_id", "turn", "started_at", "ms", "intent", "emotion", "tier", "relayed", "resolved",
            "handoff_reason", "category", "arm")


@dataclass(frozen=True)
class TurnRow:
    """One logged turn. `relayed`: the message went to a human agent (no bot answer, no NLU)."""

    session_id: str
    user_id: str
    turn: int
    started_at: float
    ms: float
    intent: str | None
    emotion: str | None
    tier: str | None
    relayed: bool
    resolved: bool
    handoff_reason: str | None
    category: str | None
    arm: str | None


def row_from_turn(session: str, user: str, started_at: float, ms: float, result: dict[str, Any]) -> TurnRow:
    """The log row of a turn's JSON (app/service.py `turn_result`)."""
    state = result.get("state") or {}
    relayed = result.get("tier") == "agent"
    handoff = result.get("handoff") or {}
    decision = result.get("pilot") or {}
    return TurnRow(
        session_id=session, user_id=user, turn=int(state.get("turn") or 0), started_at=started_at, ms=ms,
        intent=None if relayed else result.get("intent"),
        emotion=None if relayed else (result.get("emotion") or {}).get("label"),
        tier=result.get("tier"), relayed=relayed, resolved=bool(state.get("resolved", True)),
        handoff_reason=handoff.get("reason") if handoff.get("active") else None,
        category=decision.get("category"), arm=decision.get("arm"),
    )


def _row(values: dict[str, Any]) -> TurnRow:
    values.update(relayed=bool(values["relayed"]), resolved=bool(values["resolved"]))
    return TurnRow(**values)


class TurnLog:
    """The turn log of one shop, in its service database (a SQLite file or Postgres)."""

    def __init__(self, settings: DeploymentSettings) -> None:
        self.db = open_database(settings, "service")

    def record(self, row: TurnRow) -> None:
        with self.db.connect() as conn:
            conn.execute(f"INSERT INTO turn_log({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                         tuple(getattr(row, c) for c in _COLUMNS))

    def rows(self, since: float | None = None) -> list[TurnRow]:
        """Every logged turn of the conversations that started at or after `since` (epoch s), in order."""
        first = "SELECT session_id FROM turn_log GROUP BY session_id HAVING MIN(started_at) >= ?"
        with self.db.connect() as conn:
            found = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM turn_log WHERE session_id IN ({first}) "
                                 "ORDER BY id", (since if since is not None else -1.0e300,)).fetchall()
        return [_row(dict(zip(_COLUMNS, r, strict=True))) for r in found]
