"""Ticket records: errors, input checks and the public (JSON) form of a ticket row."""

from __future__ import annotations

import json
from typing import Any

from graph.handoff.texts import label
from graph.handoff.urgency import urgency

MAX_ID_CHARS = 200
MAX_REASON_CHARS = 64
WAITING_STATUSES = ("queued", "callback")


class HandoffError(ValueError):
    """A handoff request that cannot be honoured; the message is safe to show an agent."""


class TicketNotFound(HandoffError):
    """No ticket with that id."""


class TicketConflict(HandoffError):
    """The ticket is held by someone else or is no longer in a state that allows the operation."""


def clean_text(value: Any, name: str, limit: int) -> str:
    """A stripped one-line id or name; raises HandoffError when empty, too long or with control chars."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise HandoffError(f"{name} is empty")
    if len(text) > limit or any(not ch.isprintable() for ch in text):
        raise HandoffError(f"{name} is too long or contains control characters")
    return text


def ticket_dict(row: Any, now: float, detail: bool = False) -> dict[str, Any]:
    """The public form of a ticket row; `detail` adds the transcript snapshot."""
    end = row["taken_at"] or row["ended_at"] or now
    waited = (now if row["status"] in WAITING_STATUSES else end) - row["created_at"]
    out = {
        "ticket_id": row["id"],
        "session_id": row["session_id"],
        "user_id": row["user_id"],
        "status": row["status"],
        "reason": row["reason"],
        "reason_label": label("reason_names", row["reason"]),
        "explicit": bool(row["explicit"]),
        "intent": row["intent"],
        "anger": row["anger"],
        "urgency": urgency(row["urgency_base"], waited),
        "summary": row["summary"],
        "slots": json.loads(row["slots"]),
        "emotions": json.loads(row["emotions"]),
        "agent": row["agent"],
        "created_at": row["created_at"],
        "taken_at": row["taken_at"],
        "ended_at": row["ended_at"],
        "waited_s": round(max(waited, 0.0), 1),
    }
    if detail:
        out["transcript"] = json.loads(row["transcript"])
    return out
