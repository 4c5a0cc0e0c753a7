"""The feedback loop's selection: the stored conversations the next training round should learn from.

Every conversation rated below `LOW_RATING` (8) and every conversation handed to a human, with its
dialogue state, rating, tickets, category and start time. `kefu feedback export` (app/cli/feedback.py)
writes them in the finetune dialogue format, PII scrubbed; `python -m finetune data --refresh` then
refreshes the training set with them (ops/weekly_feedback.sh runs both, weekly).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from app.kpis.turnlog import TurnLog
from app.settings import Settings

LOW_RATING = 8
"""Conversations rated below this (0-10) are feedback, as the finetune data stage's --rating-threshold."""


@dataclass
class FeedbackConversation:
    """A conversation for the next training round, and why."""

    session_id: str
    state: dict[str, Any]
    rating: int | None
    tickets: list[dict[str, Any]] = field(default_factory=list)
    category: str | None = None
    started_at: float | None = None

    @property
    def reasons(self) -> list[str]:
        """low_rating and/or handoff."""
        low = self.rating is not None and self.rating < LOW_RATING
        return [r for r, yes in (("low_rating", low), ("handoff", bool(self.tickets))) if yes]

    @property
    def closed_by(self) -> dict[str, Any] | None:
        """The last ticket when a human agent closed it (the agent's word is the final resolution)."""
        last = self.tickets[-1] if self.tickets else None
        return last if last and last["status"] == "closed" and last.get("taken_at") else None

    def started_iso(self, tz: tzinfo) -> str | None:
        if self.started_at is None:
            return None
        return datetime.fromtimestamp(self.started_at, tz).isoformat(timespec="seconds")


def _order_category(settings: Settings, user_id: str | None, state: dict[str, Any]) -> str | None:
    from app.pilot import ShopPilot

    order_id = (state.get("slots") or {}).get("order_id")
    if not order_id or not user_id:
        return None
    categories = ShopPilot(settings).order_categories(str(user_id), str(order_id))
    return categories[0] if categories else None


def feedback_conversations(settings: Settings, since: date | None = None) -> list[FeedbackConversation]:
    """Conversations rated below 8 or handed off (started on or after `since`, shop-local), oldest first."""
    from app.ratings import RatingStore
    from app.service import get_service
    from graph.handoff import HandoffQueue

    service = get_service(settings)
    start = datetime(since.year, since.month, since.day, tzinfo=ZoneInfo(settings.shop_timezone)).timestamp() \
        if since else None
    logged = TurnLog(settings).rows(start)
    first = {t.session_id: t.started_at for t in reversed(logged)}
    decided = {t.session_id: t.category for t in reversed(logged) if t.category}
    sessions = list(first) if since else service.sessions()
    ratings = RatingStore(settings).by_session(sessions)
    tickets: dict[str, list[dict[str, Any]]] = {}
    for ticket in HandoffQueue(settings).tickets_of(sessions):
        tickets.setdefault(ticket["session_id"], []).append(ticket)
    out = []
    for session in sessions:
        candidate = FeedbackConversation(session, {}, ratings.get(session), tickets.get(session, []),
                                         started_at=first.get(session))
        if not candidate.reasons:
            continue
        state = service.read_state(session) or {}
        # the whole transcript: the state keeps only its last messages
        candidate.state = {**state, "messages": service.transcript(session) or state.get("messages") or []}
        if not candidate.state["messages"]:
            continue
        candidate.category = decided.get(session) or _order_category(settings, candidate.state.get("user_id"),
                                                                     candidate.state)
        out.append(candidate)
    return sorted(out, key=lambda c: (c.started_at or 0.0, c.session_id))
