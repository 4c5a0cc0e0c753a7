"""Resolve-check: was the customer moved forward this turn? Count unresolved turns and repeated asks; ask
the escalation rules (graph/escalation.py) whether a human takes over now.

A turn is UNRESOLVED when any of these holds (documented rules, in this order):
1. the customer says it did not help ("没用", "还是不行", "useless"...);
2. the customer repeats a message they already sent (same normalised text);
3. the reply only asks for missing information (a missing slot the customer supplied nothing towards, a
   product that is in none of their orders, or which of two readings they meant);
4. the reply has no grounded answer (no policy passage above threshold, or an intent kefu cannot serve);
5. an action was refused or found nothing.
Proposing a write, executing it, the customer declining it, supplying a slot that leads to the next
question, acknowledging, or answering kefu's own offer all count as progress.

`asked` counts each piece of information asked for since the last action progress (done or proposed):
the respond step rephrases the second ask, the escalation rules hand the third one to a human. The
question the reply left open (`offer`) becomes the `pending_question` the next message may answer.
While a callback ticket is open, the turn's messages are added to it for the agent.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graph import escalation
from graph.context import TurnContext
from graph.nodes.handoff import note_on_ticket
from graph.reply import wording
from graph.state import DialogueState

PROGRESS = ("done", "proposed")


def is_resolved(state: DialogueState) -> bool:
    act = state.get("dialogue_act")
    if act in ("stray_confirm", "acknowledge", "declined_offer"):
        return True
    if act == "clarify" or act == "dissatisfied" or escalation.repeats(state) >= 2:
        return False
    actions = state.get("actions") or []
    last = actions[-1] if actions else {}
    if last.get("status") in ("refused", "not_found"):
        return False
    if last.get("status") == "need_slot":
        return bool(state.get("filled")) and not last.get("unmatched_product")
    return bool(state.get("resolved", True))


def count_asks(state: DialogueState) -> dict[str, int]:
    """`asked` after this turn: cleared by action progress, then one more for each thing this reply asks. An
    order number given in answer to kefu's offer to act ("告诉我是哪一笔订单即可") that is not found makes
    that offer an ask too: the customer took it as one, so the third ask hands off on time."""
    progress = any(a.get("status") in PROGRESS for a in state.get("actions") or [])
    asked = {} if progress else dict(state.get("asked") or {})
    now = escalation.asked_now(state)
    if "order_id" in now and not asked.get("order_id") and _offer_answered_in_vain(state):
        asked["order_id"] = 1
    for name in now:
        asked[name] = int(asked.get(name, 0)) + 1
    return asked


def _offer_answered_in_vain(state: DialogueState) -> bool:
    """The last reply offered to act on one of the customer's orders, and this turn's order (or tracking)
    number was not found."""
    actions = state.get("actions") or []
    if not any(a.get("status") == "not_found" or a.get("reason_code") in escalation.ORDER_REFUSALS
               for a in actions):
        return False
    turn = int(state.get("turn", 0))
    before = [m for m in state.get("messages", []) if m.get("role") == "assistant" and int(m.get("turn", turn)) < turn]
    lead = str(wording.section("policy", state.get("language") or "zh").get("offer", "")).split("{", 1)[0]
    return bool(before and lead and lead in str(before[-1].get("content", "")))


def resolve(state: DialogueState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    resolved = is_resolved(state)
    unresolved = 0 if resolved else int(state.get("unresolved_turns", 0)) + 1
    asked = count_asks(state)
    view: DialogueState = {**state, "asked": asked}
    reason = None if state.get("guarded") else escalation.after_answer(view, unresolved, runtime.context.settings)
    if reason is None and escalation.callback_open(state):
        note_on_ticket(state, runtime)
    return {"resolved": resolved, "unresolved_turns": unresolved, "escalate": reason, "asked": asked,
            "pending_question": state.get("offer")}
