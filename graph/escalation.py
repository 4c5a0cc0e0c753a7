"""Every rule that hands a conversation to a human, in one place. Thresholds come from settings.

Two moments decide, each at most once a turn:
- `before_answer` (the router, right after the DST): the customer asked for a human, or a complaint
  arrives at or above `handoff_complaint_anger_intensity` — a person takes it without a bot reply;
- `after_answer` (the resolve node, once the reply is written): anger at or above
  `handoff_anger_intensity` on a complaint or a rising trajectory with no progress this turn, the same
  message a third time, a customer not satisfied with a write the shop refused, or
  `unresolved_handoff_turns` unresolved turns in a row.
The reason goes into the state's `escalate`; the handoff node opens the ticket with it. The queue
(graph/handoff) then only decides queued vs callback by capacity, and declines an automatic trigger
with the same reason within `handoff_cooldown_s` of the last ticket's end (an explicit ask never waits).
"""

from __future__ import annotations

import re
from typing import get_args

from graph.emotion import angry_at_least, emotion_trend
from graph.ports import GraphSettings
from graph.state import DialogueState
from graph.state import HandoffReason as Reason

REASONS: tuple[str, ...] = get_args(Reason)
"""Every reason a conversation is handed to a human."""

# A human-agent guess without one of these words ("个人" as an invoice title) is not a real ask for a person.
HUMAN_WORDS = re.compile(r"人工|真人|活人|客服|主管|经理|转人|human|person|agent|someone", re.I)
_PUNCT = re.compile(r"[\s\W_]+", re.U)


def names_a_human(text: str) -> bool:
    """The message mentions a person to talk to (so a human_agent reading of it is believable)."""
    return bool(HUMAN_WORDS.search(text))


def before_answer(state: DialogueState, settings: GraphSettings) -> Reason | None:
    """Hand off before the bot answers: an explicit ask, or a furious complaint."""
    intent = state.get("intent", "other")
    if intent == "human_agent":
        return "explicit_request"
    if intent == "complaint" and angry_at_least(state.get("emotion_history"),
                                                settings.handoff_complaint_anger_intensity):
        return "high_anger"
    return None


def _norm(text: str) -> str:
    return _PUNCT.sub("", text.lower())


def repeats(state: DialogueState) -> int:
    """How many times the customer has now sent this same request (confirmations and greetings don't count)."""
    if state.get("dialogue_act") not in ("request", "dissatisfied") or state.get("intent") == "greeting":
        return 0
    users = [_norm(m["content"]) for m in state.get("messages", []) if m["role"] == "user"]
    return users.count(users[-1]) if users and users[-1] else 0


def after_answer(state: DialogueState, unresolved: int, settings: GraphSettings) -> Reason | None:
    """Hand off after the bot's reply: see the module docstring for the rules, in this order."""
    history = state.get("emotion_history")
    angry = angry_at_least(history, settings.handoff_anger_intensity)
    progress = any(a.get("status") in ("done", "proposed", "need_slot") for a in state.get("actions") or [])
    if angry and not progress and (state.get("intent") == "complaint" or emotion_trend(history) == "rising"):
        return "high_anger"
    if repeats(state) >= 3:
        return "repeated_question"
    if state.get("last_refusal") and state.get("dialogue_act") == "dissatisfied":
        return "write_not_allowed"
    if unresolved >= settings.unresolved_handoff_turns:
        return "unresolved_turns"
    return None
