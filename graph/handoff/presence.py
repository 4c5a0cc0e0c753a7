"""Which agents are at their console: heartbeats, and tickets left behind by agents who went away.

An agent counts as online while their console has sent a heartbeat in the last 60 s. A ticket held
by an agent whose console has been silent for ABANDONED_AFTER_S goes back to the queue, so a closed
browser tab never leaves a customer waiting for a person who is gone.
"""

from __future__ import annotations

from typing import Any

HEARTBEAT_WINDOW_S = 60.0
ABANDONED_AFTER_S = 300.0


def record_heartbeat(conn: Any, agent: str, now: float) -> None:
    """Mark `agent` as seen at `now`."""
    conn.execute(
        "INSERT INTO agent_heartbeats(agent, seen_at) VALUES (?,?) "
        "ON CONFLICT(agent) DO UPDATE SET seen_at=excluded.seen_at",
        (agent, now),
    )


def online_agents(conn: Any, now: float) -> list[str]:
    """Agents with a heartbeat in the last HEARTBEAT_WINDOW_S seconds, by name."""
    rows = conn.execute(
        "SELECT agent FROM agent_heartbeats WHERE seen_at >= ? ORDER BY agent", (now - HEARTBEAT_WINDOW_S,)
    )
    return [r[0] for r in rows]


def requeue_abandoned(conn: Any, now: float, idle_s: float = ABANDONED_AFTER_S) -> list[int]:
    """Put active tickets of agents silent for `idle_s` back in the queue; returns their ids."""
    rows = conn.execute(
        "SELECT t.id, t.agent FROM tickets t LEFT JOIN agent_heartbeats h ON h.agent = t.agent "
        "WHERE t.status='active' AND COALESCE(h.seen_at, t.taken_at, 0) < ?",
        (now - idle_s,),
    ).fetchall()
    for ticket_id, agent in rows:
        conn.execute(
            "UPDATE tickets SET status='queued', agent=NULL, taken_at=NULL, updated_at=? WHERE id=?",
            (now, ticket_id),
        )
        conn.execute(
            "INSERT INTO ticket_events(ticket_id, at, actor, event) VALUES (?,?,?,?)",
            (ticket_id, now, agent, "requeued:agent_offline"),
        )
    return [r[0] for r in rows]
