"""Resolve-check: was the customer moved forward this turn? Count unresolved turns and decide escalation.

A turn is UNRESOLVED when any of these holds (documented rules, in this order):
1. the customer says it did not help ("没用", "还是不行", "useless"...);
2. the customer repeats a message they already sent (same normalised text);
3. the reply has no grounded answer (no policy passage above threshold, or an intent kefu cannot serve);
4. an action was refused or found nothing.
Asking for a missing slot, proposing a write, executing it, or the customer declining it all count as
progress. Escalation to a human: `unresolved_handoff_turns` unresolved turns in a row, the same message
three times, anger at/above `handoff_anger_intensity` that is a complaint or is still rising (unless
this very turn moved the customer's request forward: serve first, then escalate), or a
customer who is not satisfied with a write the shop refused (a human may make an exception).
"""

from __future__ import annotations

import re

from langgraph.runtime import Runtime

from graph.context import TurnContext
from graph.nodes.respond import emotion_trend
from graph.state import DialogueState

_PUNCT = re.compile(r"[\s\W_]+", re.U)


def _norm(text: str) -> str:
    return _PUNCT.sub("", text.lower())


def repeats(state: DialogueState) -> int:
    """How many times the customer has now sent this same request (confirmations and greetings don't count)."""
    if state.get("dialogue_act") not in ("request", "dissatisfied") or state.get("intent") == "greeting":
        return 0
    users = [_norm(m["content"]) for m in state.get("messages", []) if m["role"] == "user"]
    return users.count(users[-1]) if users and users[-1] else 0


def is_resolved(state: DialogueState) -> bool:
    if state.get("dialogue_act") == "stray_confirm":
        return True
    if state.get("dialogue_act") == "dissatisfied" or repeats(state) >= 2:
        return False
    actions = state.get("actions") or []
    if actions and actions[-1].get("status") in ("refused", "not_found"):
        return False
    return bool(state.get("resolved", True))


def escalation(state: DialogueState, unresolved: int, threshold: int, anger_level: float) -> str | None:
    emotion = (state.get("emotion_history") or [{}])[-1]
    angry = emotion.get("label") == "angry" and float(emotion.get("intensity", 0)) >= anger_level
    progress = any(a.get("status") in ("done", "proposed", "need_slot") for a in state.get("actions") or [])
    if angry and not progress and (state.get("intent") == "complaint" or emotion_trend(state) == "rising"):
        return "high_anger"
    if repeats(state) >= 3:
        return "repeated_question"
    if state.get("last_refusal") and state.get("dialogue_act") == "dissatisfied":
        return "write_not_allowed"
    if unresolved >= threshold:
        return "unresolved_turns"
    return None


def resolve(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    settings = runtime.context.settings
    resolved = is_resolved(state)
    unresolved = 0 if resolved else int(state.get("unresolved_turns", 0)) + 1
    reason = None if state.get("route") == "guard" else escalation(
        state, unresolved, settings.unresolved_handoff_turns, settings.handoff_anger_intensity
    )
    return {"resolved": resolved, "unresolved_turns": unresolved, "escalate": reason}
