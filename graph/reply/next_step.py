"""The next step when a customer pushes (wording in the `move` section of zh.yaml/en.yaml).

- `push_step(state, draft, language, settings)`: "都三天了", "然后呢", "？？？" on a topic whose facts were
  given, met by a draft with nothing new, gets what happens next instead: a person checks with the carrier,
  the warehouse or finance, and when they answer (from the settings), or, while a callback ticket is open,
  that the ticket has the message and when the call comes;
- `with_time(state, draft, language, settings)`: an angry or threatening message while the ticket waits is
  told when a person calls back.
"""

from __future__ import annotations

import re
from typing import Any

from graph import continuity, escalation
from graph.emotion import angry_at_least
from graph.reply import wording
from graph.state import DialogueState

TELL_TIME_ANGER = 0.6
"""Anger from which a customer waiting on a callback ticket is told when it comes (the tone's plain apology
starts lower; the handoff threshold, `handoff_anger_intensity`, is higher)."""
_WHEN = re.compile(r"多久|多长时间|什么时候|啥时候|几天|几点|何时|\bwhen\b|\bhow long\b", re.I)
_CALL_WHEN = re.compile(r"(?:多久|什么时候|啥时候|几点|何时).{0,4}(?:回复|回电|联系|答复|处理|来电|打给)|"
                        r"\bwhen will (?:you|someone|an agent|they) (?:call|contact|reply|get back)", re.I)
_URGE = re.compile(r"催|快点|加急|赶紧|\b(?:hurry|chase|speed (?:it|this) up)\b", re.I)
_CLOSING = re.compile(r"算了|再说|先这样|不用了|没事了|谢|再见|拜拜|\b(?:never ?mind|forget it|thanks?|bye)\b", re.I)
_PUSH = ("then_what", "elapsed", "delay", "deadline", "short")
_PARTY = {"logistics_tracking": "logistics", "order_status": "logistics", "delivery_problem": "logistics",
          "urge_shipment": "warehouse", "refund_status": "refund", "cancel_order": "refund"}


def _empty(state: DialogueState, draft: dict[str, Any]) -> bool:
    """The draft gives nothing new: no rule found, a rule on another topic, not understood, the ticket again."""
    if state.get("route") == "retrieve":
        return not draft.get("grounded") or not draft.get("citations")
    if state.get("route") == "act":
        return False
    return state.get("intent") in ("other", "greeting") or escalation.callback_open(state)


REPORT_TOPICS = {"delivery_problem", "complaint", "warranty_repair", "logistics_tracking", "order_status",
                 "refund_status", "urge_shipment"}
"""Topics where the customer's own report ("门卫也说没有", "重置过了 没用") moves the case on: the rule was
given, what is left is somebody checking this case."""


def reports_back(state: DialogueState) -> bool:
    """The customer answers a rule on a problem of theirs with what they did or found, asking nothing new:
    saying the rule again (or that there is nothing more) would not move the case on."""
    topic = state.get("intent") if state.get("intent") in REPORT_TOPICS else state.get("active_intent")
    text = state.get("text", "")
    return (state.get("route") == "retrieve" and topic in REPORT_TOPICS and state.get("dialogue_act") == "request"
            and not continuity.asks_something(text) and not continuity.only_acknowledges(text)
            and not _CLOSING.search(text))


def push_step(state: DialogueState, draft: dict[str, Any], language: str, settings: Any = None,
              repeated: bool = False) -> dict[str, Any] | None:
    """A push on a topic whose facts were given ("都三天了", "然后呢", "？？？") that the draft meets with nothing
    new: the next concrete step instead, i.e. the open ticket has it and who will check with whom, by when
    (from the settings), or the offer of a person who will."""
    text, waiting = state.get("text", ""), escalation.callback_open(state)
    asks_call = waiting and bool(_CALL_WHEN.search(text) or state.get("follow_up") == "short" and len(text) <= 4)
    urged = waiting and bool(_WHEN.search(text) or _URGE.search(text))
    pushed = state.get("follow_up") in _PUSH or asks_call or urged or repeated and reports_back(state)
    if not pushed or not (repeated or asks_call or _empty(state, draft)):  # "多久给我回复", "？？？" on the ticket
        return None
    if state.get("guarded") or (state.get("handoff") or {}).get("active") and not escalation.callback_open(state):
        return None
    parties = wording.section("party", language)
    party = parties.get(_PARTY.get(str(state.get("active_intent")), "_")) or parties.get("_", "")
    when = wording.callback_time(settings, language)
    if escalation.callback_open(state):
        ticket = (state.get("handoff") or {}).get("ticket_id")
        text = wording.phrase("move", "push_callback", language, ticket_id=ticket, party=party, when=when)
        return {**draft, "text": text.strip(), "grounded": True, "offer": None, "final": True}
    text = wording.phrase("move", "push_step", language, party=party, when=when)
    return {**draft, "text": text, "grounded": True, "final": True,
            "offer": {"kind": "transfer", "turn": int(state.get("turn", 0)), "step": True}}


def with_time(state: DialogueState, draft: dict[str, Any], language: str, settings: Any) -> dict[str, Any]:
    """An angry or threatening message while the ticket waits: the reply says when a person calls back."""
    text, when = str(draft.get("text", "")), wording.callback_time(settings, language)
    history = state.get("emotion_history")
    upset = escalation.complaint_signal(state.get("text", "")) or angry_at_least(history, TELL_TIME_ANGER)
    said = str(getattr(settings, "agent_hours", "") or when) in text  # the hours are in the reply already
    if not (escalation.callback_open(state) and upset and when) or said:
        return draft
    return {**draft, "text": text + ("" if wording.reply_language(language) == "zh" else " ") + when}
