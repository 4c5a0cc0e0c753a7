"""The human agent console's use cases: the queue, a ticket's live context, and the live chat bridge.

Joins the ticket queue (graph/handoff) with the conversation service (app/service.py): taking a
ticket tells the customer a person joined, the agent's messages go into the customer's transcript,
and handing back or closing returns the conversation to the bot.
"""

from __future__ import annotations

from typing import Any

from app import service
from app.settings import Settings
from graph.handoff import HandoffError, HandoffQueue, TicketConflict
from graph.reply import wording

MAX_AGENT_MESSAGE_CHARS = 2000


def _clean_text(text: Any) -> str:
    """The agent's message without control characters (newlines kept); refuses empty text."""
    if not isinstance(text, str):
        raise HandoffError("message must be text")
    cleaned = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()
    if not cleaned:
        raise HandoffError("message is empty")
    if len(cleaned) > MAX_AGENT_MESSAGE_CHARS:
        raise HandoffError(f"message is longer than {MAX_AGENT_MESSAGE_CHARS} characters")
    return cleaned


class Console:
    """What one logged-in agent can do; built per request from the shop's settings."""

    def __init__(self, settings: Settings, agent: str) -> None:
        self.settings = settings
        self.agent = agent
        self.queue = HandoffQueue(settings)

    def _language(self, session_id: str) -> str:
        try:
            state = service.read_state(self.settings, session_id) or {}
        except ValueError:
            state = {}
        return str(state.get("language") or "zh")

    def _tell_customer(self, session_id: str, text: str, notice: bool = False) -> bool:
        """Post a line from the agent into the conversation (`notice`: kefu's wording, not the agent's own
        words); False when the session has no state."""
        try:
            service.post_agent_message(self.settings, session_id, self.agent, text, notice)
        except ValueError:  # service.ChatError: unknown session (e.g. a callback from another channel)
            return False
        return True

    def overview(self) -> dict[str, Any]:
        """Heartbeat, the waiting queue (most urgent first, abandoned tickets back in it) and own tickets."""
        self.queue.heartbeat(self.agent)
        self.queue.requeue_abandoned()
        return {
            "agent": self.agent,
            "agents_online": self.queue.agents_online(),
            "queue": self.queue.queue(),
            "mine": self.queue.held_by(self.agent),
        }

    def detail(self, ticket_id: int) -> dict[str, Any]:
        """The ticket with the conversation's live transcript and handoff state."""
        ticket = self.queue.ticket(ticket_id)
        try:
            state = service.read_state(self.settings, ticket["session_id"])
        except ValueError:
            state = None
        if state is not None:  # the whole conversation: the state keeps only its last messages
            ticket["transcript"] = [
                {k: m.get(k) for k in ("role", "content", "turn", "agent")}
                for m in service.transcript(self.settings, ticket["session_id"])
            ]
            ticket["handoff"] = dict(state.get("handoff") or {})
            ticket["language"] = state.get("language")
        ticket["live"] = state is not None
        return ticket

    def take(self, ticket_id: int) -> dict[str, Any]:
        """Take a waiting ticket and tell the customer a person has joined."""
        before = self.queue.ticket(ticket_id)
        ticket = self.queue.take(ticket_id, self.agent)
        if before["status"] != "active":
            notice = wording.handoff_notice(ticket, self._language(ticket["session_id"]), self.settings)
            self._tell_customer(ticket["session_id"], notice, notice=True)
        return self.detail(ticket_id)

    def message(self, ticket_id: int, text: Any) -> dict[str, Any]:
        """Send the customer a message from the agent holding the ticket."""
        cleaned = _clean_text(text)
        ticket = self.queue.ticket(ticket_id)
        if ticket["status"] != "active" or ticket["agent"] != self.agent:
            raise TicketConflict(f"ticket #{ticket['ticket_id']} is not held by you: take it first")
        if not self._tell_customer(ticket["session_id"], cleaned):
            raise HandoffError(
                "this conversation has no live chat (callback ticket): contact the customer directly"
            )
        return {"ok": True, "ticket_id": ticket["ticket_id"]}

    def release(self, ticket_id: int) -> dict[str, Any]:
        """Hand the conversation back to the bot (the bot answers the customer's next message)."""
        ticket = self.queue.release(ticket_id, self.agent)
        self._end_chat(ticket, "returned")
        return ticket

    def close(self, ticket_id: int) -> dict[str, Any]:
        """Close the ticket; the customer is invited to rate the conversation."""
        ticket = self.queue.close(ticket_id, self.agent)
        self._end_chat(ticket, "closed")
        return ticket

    def _end_chat(self, ticket: dict[str, Any], how: str) -> None:
        session_id = ticket["session_id"]
        if self._tell_customer(session_id, wording.text(f"handoff_{how}", self._language(session_id)), notice=True):
            service.release_to_bot(self.settings, session_id)
