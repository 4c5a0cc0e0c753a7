"""The human handoff queue: tickets opened by the graph, taken, handed back or closed by agents.

The graph decides WHEN to hand off (its handoff node); this module decides WHAT happens: one ticket
per conversation with a summary, the DST slots, the emotion trajectory and the transcript; queued
when an agent is online and the human capacity (settings.max_concurrent_handoffs) allows it,
otherwise a callback ticket. A cool-down after a ticket ends stops automatic triggers from looping.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from graph.handoff.db import OPEN_STATUSES
from graph.handoff.presence import online_agents, record_heartbeat, requeue_abandoned
from graph.handoff.reading import TicketReader
from graph.handoff.records import (
    MAX_ID_CHARS,
    MAX_REASON_CHARS,
    TicketConflict,
    clean_text,
)
from graph.handoff.summary import (
    MAX_TRANSCRIPT_MESSAGES,
    anger_of,
    build_summary,
    emotions_of,
    intent_of,
    transcript_of,
)
from graph.handoff.urgency import ROUTING_REASONS, base_urgency, canonical_reason
from graph.ports import QueueSettings
from storage import Row
from storage.database import Conn


class HandoffQueue(TicketReader):
    """Tickets of one shop, in its service database (shared by every process and node of the shop)."""

    def __init__(self, settings: QueueSettings, clock: Callable[[], float] = time.time) -> None:
        super().__init__(settings, clock)
        self.cap = max(int(settings.max_concurrent_handoffs), 0)
        self.cooldown_s = float(settings.handoff_cooldown_s)

    # agents -------------------------------------------------------------------------------
    def heartbeat(self, agent: str) -> None:
        """Mark an agent as online now (the console calls this while it is open)."""
        agent = clean_text(agent, "agent", MAX_ID_CHARS)
        with self.db.connect() as conn:
            record_heartbeat(conn, agent, self._clock())

    def agents_online(self) -> list[str]:
        """Agents with a heartbeat in the last 60 seconds."""
        with self.db.connect() as conn:
            return self._agents_online(conn)

    def _agents_online(self, conn: Conn) -> list[str]:
        return online_agents(conn, self._clock())

    def requeue_abandoned(self) -> list[int]:
        """Tickets whose agent left (console silent for 5 minutes) go back to the queue; their ids."""
        with self.db.transaction() as conn:
            return requeue_abandoned(conn, self._clock())

    def _log(self, conn: Conn, ticket_id: int, actor: str | None, event: str) -> None:
        conn.execute(
            "INSERT INTO ticket_events(ticket_id, at, actor, event) VALUES (?,?,?,?)",
            (ticket_id, self._clock(), actor, event),
        )

    # opening ------------------------------------------------------------------------------
    def open_ticket(
        self,
        session_id: str,
        user_id: str | None,
        reason: str,
        state_snapshot: dict[str, Any] | None,
        explicit: bool = False,
    ) -> dict[str, Any]:
        """Open (or return the already open) ticket of a conversation.

        Answers the ticket plus `created` (False when it already existed or was declined),
        `position` (queued only), `agents_online` and, when it is a callback, `callback_reason`
        (`no_agent_online` or `capacity`). Right after a ticket of this session ended, a
        non-explicit trigger with the same reason is declined: `status` is `declined` (never for a routing
        reason such as the category pilot, which must not fall back to the bot).
        """
        session_id = clean_text(session_id, "session_id", MAX_ID_CHARS)
        reason = canonical_reason(clean_text(reason, "reason", MAX_REASON_CHARS))
        explicit = bool(explicit) or reason == "explicit_request"
        state = state_snapshot if isinstance(state_snapshot, dict) else {}
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM tickets WHERE session_id=? AND status IN ('queued','callback','active')",
                (session_id,),
            ).fetchone()
            if row is not None:
                return self._opened(conn, row, created=False)
            if not explicit and reason not in ROUTING_REASONS and self._cooling_down(conn, session_id, reason):
                return self._declined(conn, session_id, reason)
            status, why = self._status_for_new(conn)
            ticket_id = self._insert(conn, session_id, user_id, reason, explicit, state, status)
            self._log(conn, ticket_id, None, f"opened:{status}:{reason}")
            result = self._opened(conn, self._row(conn, ticket_id), created=True)
        result["callback_reason"] = why
        return result

    def _cooling_down(self, conn: Conn, session_id: str, reason: str) -> bool:
        row = conn.execute(
            "SELECT ended_at FROM tickets WHERE session_id=? AND reason=? AND ended_at IS NOT NULL "
            "ORDER BY ended_at DESC LIMIT 1",
            (session_id, reason),
        ).fetchone()
        return row is not None and self._clock() - row[0] < self.cooldown_s

    def _declined(self, conn: Conn, session_id: str, reason: str) -> dict[str, Any]:
        return {
            "ticket_id": None,
            "session_id": session_id,
            "status": "declined",
            "reason": reason,
            "declined": "cooldown",
            "created": False,
            "position": None,
            "agents_online": len(self._agents_online(conn)),
        }

    def _status_for_new(self, conn: Conn) -> tuple[str, str | None]:
        if not self._agents_online(conn):
            return "callback", "no_agent_online"
        held = conn.execute("SELECT COUNT(*) FROM tickets WHERE status IN ('queued','active')").fetchone()[0]
        if held >= self.cap:
            return "callback", "capacity"
        return "queued", None

    def _insert(
        self,
        conn: Conn,
        session_id: str,
        user_id: str | None,
        reason: str,
        explicit: bool,
        state: dict[str, Any],
        status: str,
    ) -> int:
        emotions = emotions_of(state)
        anger = anger_of(emotions)
        now = self._clock()
        return conn.insert(
            "INSERT INTO tickets(session_id, user_id, status, reason, explicit, intent, anger, urgency_base,"
            " summary, slots, emotions, transcript, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                session_id,
                None if user_id is None else str(user_id)[:MAX_ID_CHARS],
                status,
                reason,
                int(explicit),
                intent_of(state),
                anger,
                base_urgency(reason, anger, explicit),
                build_summary(state, reason),
                json.dumps(state.get("slots") or {}, ensure_ascii=False, default=str),
                json.dumps(emotions, ensure_ascii=False),
                json.dumps(transcript_of(state), ensure_ascii=False, default=str),
                now,
                now,
            ),
            "id",
        )

    def _opened(self, conn: Conn, row: Row, created: bool) -> dict[str, Any]:
        out = self._public(row)
        out["created"] = created
        out["position"] = self._position(conn, row["session_id"]) if row["status"] == "queued" else None
        out["agents_online"] = len(self._agents_online(conn))
        out["callback_reason"] = None
        return out

    def append_messages(self, ticket_id: int, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """Add the conversation's newer messages to a waiting ticket's transcript, so the agent who calls back
        reads what the customer said (and the bot answered) after the ticket opened. Raises TicketConflict
        once the ticket has ended."""
        new = transcript_of({"messages": messages})
        with self.db.transaction() as conn:
            row = self._row(conn, ticket_id)
            if row["status"] not in OPEN_STATUSES:
                raise TicketConflict(f"ticket #{row['id']} is {row['status']}: nothing can be added")
            transcript = (json.loads(row["transcript"]) + new)[-MAX_TRANSCRIPT_MESSAGES:]
            conn.execute("UPDATE tickets SET transcript=?, updated_at=? WHERE id=?",
                         (json.dumps(transcript, ensure_ascii=False, default=str), self._clock(), row["id"]))
            self._log(conn, row["id"], None, f"messages:{len(new)}")
            return self._public(self._row(conn, row["id"]), detail=True)

    # agent actions ------------------------------------------------------------------------
    def take(self, ticket_id: int, agent: str) -> dict[str, Any]:
        """An agent takes a waiting ticket; refused when another agent holds it or it has ended."""
        agent = clean_text(agent, "agent", MAX_ID_CHARS)
        with self.db.transaction() as conn:
            row = self._row(conn, ticket_id)
            if row["status"] == "active" and row["agent"] != agent:
                raise TicketConflict(f"ticket #{row['id']} is already held by agent {row['agent']}")
            if row["status"] not in OPEN_STATUSES:
                raise TicketConflict(f"ticket #{row['id']} is {row['status']}: it cannot be taken")
            if row["status"] != "active":
                now = self._clock()
                conn.execute(
                    "UPDATE tickets SET status='active', agent=?, taken_at=?, updated_at=? WHERE id=?",
                    (agent, now, now, row["id"]),
                )
                self._log(conn, row["id"], agent, "taken")
            return self._public(self._row(conn, row["id"]), detail=True)

    def release(self, ticket_id: int, agent: str) -> dict[str, Any]:
        """The holding agent hands the conversation back to the bot."""
        return self._end(ticket_id, agent, "returned")

    def close(self, ticket_id: int, agent: str) -> dict[str, Any]:
        """Close a ticket: the holding agent's, or a waiting one (e.g. a callback done by phone)."""
        return self._end(ticket_id, agent, "closed")

    def _end(self, ticket_id: int, agent: str, status: str) -> dict[str, Any]:
        agent = clean_text(agent, "agent", MAX_ID_CHARS)
        with self.db.transaction() as conn:
            row = self._row(conn, ticket_id)
            if row["status"] not in OPEN_STATUSES:
                raise TicketConflict(f"ticket #{row['id']} is already {row['status']}")
            if row["status"] == "active" and row["agent"] != agent:
                raise TicketConflict(f"ticket #{row['id']} is held by agent {row['agent']}, not {agent}")
            if status == "returned" and row["status"] != "active":
                raise TicketConflict(
                    f"ticket #{row['id']} is {row['status']}: take it before handing it back"
                )
            now = self._clock()
            conn.execute(
                "UPDATE tickets SET status=?, agent=COALESCE(agent, ?), ended_at=?, updated_at=? WHERE id=?",
                (status, agent, now, now, row["id"]),
            )
            self._log(conn, row["id"], agent, status)
            return self._public(self._row(conn, row["id"]), detail=True)
