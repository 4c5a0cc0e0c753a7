"""Human handoff: the ticket queue and the summaries agents read.

WHEN a conversation goes to a human is decided in graph/escalation.py; WHAT the customer is told is in
the reply package (graph/reply/). The graph's handoff node opens tickets through the turn context::

    ticket = runtime.context.handoffs.open_ticket(session_id, user_id, "unresolved_turns", snapshot)
"""

from graph.handoff.queue import HandoffQueue
from graph.handoff.records import HandoffError, TicketConflict, TicketNotFound
from graph.handoff.summary import build_summary

__all__ = [
    "HandoffError",
    "HandoffQueue",
    "TicketConflict",
    "TicketNotFound",
    "build_summary",
]
