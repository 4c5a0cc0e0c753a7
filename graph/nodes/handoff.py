"""Handoff: open (or join) a ticket for a human agent, and relay messages while a human holds the chat.

A callback ticket (no agent online, or the human capacity is full) does not silence the bot: kefu keeps
answering what it can, the ticket is mentioned when it opens and again only when the customer asks for a
human, and every later message (with kefu's answer) is added to the ticket for the agent who calls back.
"""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime

from graph import escalation
from graph.context import TurnContext
from graph.handoff.records import HandoffError
from graph.reply import tone, wording
from graph.state import DialogueState


def _snapshot(state: DialogueState) -> dict[str, Any]:
    keys = ("slots", "active_intent", "intent", "emotion_history", "messages", "unresolved_turns", "actions",
            "pending_action", "language", "user_id", "session_id")
    return {k: state.get(k) for k in keys}


def handoff(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    ctx = runtime.context
    reason = state.get("escalate") or "explicit_request"  # decided by graph/escalation.py
    explicit = reason == "explicit_request"
    ticket = ctx.handoffs.open_ticket(ctx.session_id, ctx.user_id, reason, _snapshot(state), explicit=explicit)
    language = state.get("language") or "zh"
    earlier = state.get("reply") or ""
    if ticket.get("status") == "declined":
        return {} if earlier else _declined(state, language)
    if escalation.asked_too_often(state):  # the third ask for the same thing: a person takes it instead
        earlier = wording.phrase("move", "ask_gave_up", language, what=wording.slot_name(_asked(state), language))
    elif escalation.step_again(state):  # the next step offered before is taken: no "reply yes" again
        earlier = wording.phrase("move", "step_taken", language)
    elif task := escalation.errand(state):  # "那就补发吧": say what the ticket will get done
        earlier = wording.phrase("move", "errand_open" if escalation.callback_open(state) else "errand", language,
                                 task=wording.phrase("errand", task, language), ticket_id=ticket.get("ticket_id"))
    upset = "" if earlier else tone.opening(state.get("emotion_history"), language, upset_only=True, content="ack")
    if earlier and escalation.errand(state) and escalation.callback_open(state):  # the open ticket: said once
        notice = wording.callback_time(ctx.settings, language)
        note_on_ticket({**state, "reply": f"{earlier}{notice}"}, runtime)
    elif ticket.get("status") == "callback" and not ticket.get("created", True):
        notice = wording.text("handoff_callback_open", language, ticket_id=ticket.get("ticket_id"))
        when = wording.callback_time(ctx.settings, language)
        notice = f"{notice}{'' if wording.reply_language(language) == 'zh' else ' '}{when}".rstrip()
        note_on_ticket({**state, "reply": notice}, runtime)
    else:
        notice = tone.with_opening(upset, wording.handoff_notice(ticket, language, ctx.settings), language)
    reply = f"{earlier}\n{notice}" if earlier else notice
    return {
        "handoff": {"active": True, "reason": reason, "ticket_id": ticket.get("ticket_id"),
                    "status": ticket.get("status"), "agent": ticket.get("agent")},
        "reply": reply,
        "tier": state.get("tier") if state.get("reply") else "composer",
        "messages": [{"role": "assistant", "content": reply if earlier != state.get("reply") else notice,
                      "turn": state.get("turn", 0)}],
        "pending_action": None, "pending_question": None,
    }


def _asked(state: DialogueState) -> str:
    names = escalation.asked_now(state)
    return names[0] if names else "order_id"


def note_on_ticket(state: DialogueState, runtime: Runtime[TurnContext]) -> None:
    """Add this turn's customer message and kefu's reply to the open ticket, for the agent who calls back."""
    ticket_id = (state.get("handoff") or {}).get("ticket_id")
    if not ticket_id:
        return
    turn = state.get("turn", 0)
    messages = [{"role": "user", "content": state.get("text", ""), "turn": turn}]
    if state.get("reply"):
        messages.append({"role": "assistant", "content": state.get("reply", ""), "turn": turn})
    try:
        runtime.context.handoffs.append_messages(int(ticket_id), messages)
    except HandoffError:  # the ticket ended meanwhile (an agent closed it): nothing to add it to
        return


def _declined(state: DialogueState, language: str) -> dict:
    notice = wording.text("handoff_declined", language)
    return {"reply": notice, "tier": "composer",
            "messages": [{"role": "assistant", "content": notice, "turn": state.get("turn", 0)}]}


def relay(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    """A human holds (or is about to take) the conversation: the message goes to them, the bot stays quiet."""
    queue = runtime.context.handoffs
    ticket = queue.active_for(runtime.context.session_id)
    language = state.get("language") or "zh"
    if ticket and ticket.get("status") != "active" and _WITHDRAW.search(state.get("text", "")):
        queue.close(ticket["ticket_id"], "customer")  # the customer no longer waits for a human
        return _withdrawn(state, language)
    if not ticket:
        return {"handoff": {"active": False, "reason": None, "ticket_id": None, "agent": None},
                "unresolved_turns": 0}
    base = dict(state.get("handoff") or {})
    base.update(status=ticket.get("status"), agent=ticket.get("agent"))
    slots = _slots_in(state.get("text", ""))
    if ticket.get("status") == "callback":  # nobody will answer soon: kefu serves the turn (see handoff docstring)
        return {"handoff": base}
    if ticket.get("status") == "active":
        return {"handoff": base, "reply": "", "tier": "agent", "relayed": True, "slots": slots}
    ahead = max(int(ticket.get("position") or 1) - 1, 0)
    key = "handoff_callback_waiting" if ticket.get("status") == "callback" else "handoff_waiting"
    notice = wording.text(key, language, position=ahead)
    return {"handoff": base, "reply": notice, "tier": "agent", "relayed": True, "slots": slots,
            "messages": [{"role": "assistant", "content": notice, "turn": state.get("turn", 0)}]}


_WITHDRAW = re.compile(r"不用(?:转)?人工|不要人工|不需要人工|取消人工|不用等了|"
                       r"\bno (?:human|agent)\b|\bnever ?mind\b|\bcancel (?:the )?(?:human|agent|handoff)\b", re.I)


def _withdrawn(state: DialogueState, language: str) -> dict:
    """Back to the bot: the rest of the message ("算了不用人工了，查下物流") is served as a normal turn."""
    rest = _WITHDRAW.sub(" ", state.get("text", "")).strip(" ，,。.!！了吧")
    update: dict[str, Any] = {"handoff": {"active": False, "reason": None, "ticket_id": None, "agent": None},
                              "unresolved_turns": 0, "text": rest}
    if not rest:
        notice = wording.text("handoff_withdrawn", language)
        update.update(reply=notice, tier="composer", relayed=True,
                      messages=[{"role": "assistant", "content": notice, "turn": state.get("turn", 0)}])
    return update


def _slots_in(text: str) -> dict[str, Any]:
    """Order ids, phones... the customer gives the human are kept for when the bot takes over again."""
    from graph.nlu import extract_entities

    kept = ("order_id", "tracking_no", "phone", "address")
    return {e["type"]: e["value"] for e in extract_entities(text) if e["type"] in kept and e.get("value")}
