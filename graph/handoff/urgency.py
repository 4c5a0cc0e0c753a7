"""How urgent a ticket is: anger, the reason of the handoff, and how long the customer waited.

The base score is fixed when the ticket opens; the wait part grows while it sits in the queue,
so an old calm ticket eventually passes a fresh mildly annoyed one.
"""

from __future__ import annotations

REASON_WEIGHTS: dict[str, float] = {  # one weight per reason of graph/escalation.py (a test checks)
    "high_anger": 3.0,
    "explicit_request": 2.0,
    "write_not_allowed": 2.0,
    "repeated_question": 1.5,
    "unresolved_turns": 1.0,
    "pilot": 1.0,
}
"""How much each handoff reason adds to a ticket's urgency."""

REASON_ALIASES: dict[str, str] = {"anger_complaint": "high_anger", "unresolved": "unresolved_turns"}
"""Other spellings accepted for a reason."""


ROUTING_REASONS: frozenset[str] = frozenset({"pilot"})
"""Reasons that route a conversation (the category pilot), not triggers: the cool-down never declines them."""


def canonical_reason(reason: str) -> str:
    """The known name of a reason (aliases resolved); unknown reasons pass through unchanged."""
    return REASON_ALIASES.get(reason, reason)


DEFAULT_REASON_WEIGHT = 1.0
ANGER_WEIGHT = 4.0
EXPLICIT_BONUS = 0.5
WAIT_POINTS_PER_MINUTE = 0.2
MAX_WAIT_POINTS = 4.0


def base_urgency(reason: str, anger: float, explicit: bool) -> float:
    """The part of the urgency known when the ticket opens."""
    score = REASON_WEIGHTS.get(reason, DEFAULT_REASON_WEIGHT) + ANGER_WEIGHT * max(0.0, min(anger, 1.0))
    return round(score + (EXPLICIT_BONUS if explicit else 0.0), 3)


def urgency(base: float, waited_s: float) -> float:
    """The current urgency: the base plus points for waiting (capped)."""
    wait_points = min(max(waited_s, 0.0) / 60.0 * WAIT_POINTS_PER_MINUTE, MAX_WAIT_POINTS)
    return round(base + wait_points, 3)


def urgency_sql(dialect: str) -> str:
    """`urgency()` as an SQL expression over the tickets table; bind `urgency_sql_args(now)`."""
    least, greatest = ("LEAST", "GREATEST") if dialect == "postgresql" else ("MIN", "MAX")
    return f"(urgency_base + {least}({greatest}(? - created_at, 0.0) / 60.0 * ?, ?))"


def urgency_sql_args(now: float) -> tuple[float, float, float]:
    """The parameters of URGENCY_SQL at time `now`."""
    return (now, WAIT_POINTS_PER_MINUTE, MAX_WAIT_POINTS)
