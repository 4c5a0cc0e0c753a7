"""Reading the handoff queue: one ticket, the waiting list in urgency order, an agent's tickets, a
conversation's open ticket and its place in the queue. HandoffQueue adds the writes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from graph.handoff.records import WAITING_STATUSES, TicketNotFound, ticket_dict
from graph.handoff.urgency import urgency_sql, urgency_sql_args
from graph.ports import QueueSettings
from storage import Row, open_database
from storage.database import Conn


class TicketReader:
    """Read-only views of the tickets table of a shop's service database."""

    def __init__(self, settings: QueueSettings, clock: Callable[[], float] = time.time) -> None:
        self.db = open_database(settings, "service")
        self._clock = clock

    def _public(self, row: Row, detail: bool = False) -> dict[str, Any]:
        return ticket_dict(row, self._clock(), detail)

    def _row(self, conn: Conn, ticket_id: int) -> Row:
        try:
            ticket_id = int(ticket_id)
        except (TypeError, ValueError):
            raise TicketNotFound(f"no ticket {ticket_id!r}") from None
        row = conn.execute("SELECT * FROM tickets WHERE id=?", (ticket_id,)).fetchone()
        if row is None:
            raise TicketNotFound(f"no ticket #{ticket_id}")
        return row

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        """One ticket with its transcript snapshot (raises TicketNotFound)."""
        with self.db.connect() as conn:
            return self._public(self._row(conn, ticket_id), detail=True)

    def _waiting(self, conn: Conn, columns: str, statuses: tuple[str, ...], limit: int | None) -> list:
        """Rows of waiting tickets, most urgent first (urgency computed in SQL, as urgency() does)."""
        marks = ",".join("?" * len(statuses))
        bounded = " LIMIT ?" if limit is not None else ""
        return conn.execute(
            f"SELECT {columns} FROM tickets WHERE status IN ({marks})"
            f" ORDER BY {urgency_sql(self.db.dialect)} DESC, created_at, id{bounded}",
            (*statuses, *urgency_sql_args(self._clock()), *([limit] if limit is not None else [])),
        ).fetchall()

    def queue(self, limit: int = 200) -> list[dict[str, Any]]:
        """Waiting tickets (queued and callback), most urgent first; at most `limit`."""
        with self.db.connect() as conn:
            return [self._public(r) for r in self._waiting(conn, "*", WAITING_STATUSES, max(int(limit), 1))]

    def held_by(self, agent: str) -> list[dict[str, Any]]:
        """Tickets an agent holds right now, oldest first."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT * FROM tickets WHERE status='active' AND agent=? ORDER BY taken_at", (agent,)
            ).fetchall()
        return [self._public(r) for r in rows]

    def active_for(self, session_id: str) -> dict[str, Any] | None:
        """The open ticket (queued, callback or active) of a conversation, or None."""
        with self.db.connect() as conn:
            row = conn.execute(
                "SELECT * FROM tickets WHERE session_id=? AND status IN ('queued','callback','active')",
                (str(session_id),),
            ).fetchone()
        return self._public(row) if row else None

    def tickets_of(self, sessions: Iterable[str]) -> list[dict[str, Any]]:
        """Every ticket (open or ended) of these conversations, oldest first (the KPIs read them)."""
        wanted = sorted({str(s) for s in sessions})
        rows: list[Row] = []
        with self.db.connect() as conn:
            for start in range(0, len(wanted), 500):  # SQLite caps the number of bound parameters
                chunk = wanted[start:start + 500]
                rows += conn.execute(f"SELECT * FROM tickets WHERE session_id IN ({','.join('?' * len(chunk))})",
                                     chunk).fetchall()
        return [self._public(r) for r in sorted(rows, key=lambda r: r["id"])]

    def position(self, session_id: str) -> int | None:
        """1-based place of the conversation among queued tickets; None unless it is queued."""
        with self.db.connect() as conn:
            return self._position(conn, str(session_id))

    def _position(self, conn: Conn, session_id: str) -> int | None:
        order = self._waiting(conn, "session_id", ("queued",), None)
        return next((i for i, row in enumerate(order, start=1) if row[0] == session_id), None)

