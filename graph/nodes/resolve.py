"""Resolve-check: was the customer moved forward this turn? Count unresolved turns; ask the escalation
rules (graph/escalation.py) whether a human takes over now.

A turn is UNRESOLVED when any of these holds (documented rules, in this order):
1. the customer says it did not help ("没用", "还是不行", "useless"...);
2. the customer repeats a message they already sent (same normalised text);
3. the reply has no grounded answer (no policy passage above threshold, or an intent kefu cannot serve);
4. an action was refused or found nothing.
Asking for a missing slot, proposing a write, executing it, or the customer declining it all count as
progress.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph import escalation
from graph.context import TurnContext
from graph.state import DialogueState


def is_resolved(state: DialogueState) -> bool:
    if state.get("dialogue_act") == "stray_confirm":
        return True
    if state.get("dialogue_act") == "dissatisfied" or escalation.repeats(state) >= 2:
        return False
    actions = state.get("actions") or []
    if actions and actions[-1].get("status") in ("refused", "not_found"):
        return False
    return bool(state.get("resolved", True))


def resolve(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    resolved = is_resolved(state)
    unresolved = 0 if resolved else int(state.get("unresolved_turns", 0)) + 1
    reason = None if state.get("guarded") else escalation.after_answer(state, unresolved, runtime.context.settings)
    return {"resolved": resolved, "unresolved_turns": unresolved, "escalate": reason}
