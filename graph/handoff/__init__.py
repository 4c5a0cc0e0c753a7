"""Human handoff: the ticket queue, summaries for agents and notices for customers.

Usage from the graph's handoff node::

    queue = HandoffQueue(settings)
    ticket = queue.open_ticket(session_id, user_id, "unresolved", dict(state), explicit=False)
    reply = customer_notice(ticket, state.get("language", "zh"))
"""

from graph.handoff.queue import HandoffQueue
from graph.handoff.records import HandoffError, TicketConflict, TicketNotFound
from graph.handoff.summary import build_summary
from graph.handoff.texts import customer_notice
from graph.handoff.urgency import REASON_WEIGHTS

REASONS = tuple(REASON_WEIGHTS)
"""The handoff reasons the queue knows: explicit_request, unresolved, anger_complaint, ..."""

__all__ = [
    "REASONS",
    "HandoffError",
    "HandoffQueue",
    "TicketConflict",
    "TicketNotFound",
    "build_summary",
    "customer_notice",
]
