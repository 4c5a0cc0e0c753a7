"""DST continuity: how a message continues the dialogue instead of being read on its own (an answer to kefu's
own question, a follow-up on the active topic, an order named by its number or item for kefu to look at)."""

from __future__ import annotations

import re
from typing import Any

from graph import continuity, details, escalation
from graph import dialogue_acts as acts
from graph.intents import ACTION_FOR_INTENT, POLICY_INTENTS
from graph.nodes.dst_slots import identity_phone, only_supplies, phone_tail, weak_guess
from graph.state import DialogueState

_CLOSING = re.compile(r"谢|thank|thx|感谢|再见|拜拜|bye|没有了|没事了", re.I)
TOPIC_FAMILY = {"logistics_tracking", "order_status", "urge_shipment", "delivery_problem"}
"""Intents that are one topic for a follow-up ("到哪了" / "还没发货" / "物流不动了" about the same parcel)."""


def _same_topic(intent: str | None, active: str | None) -> bool:
    return intent == active or (intent in TOPIC_FAMILY and active in TOPIC_FAMILY)


def _order_asked(state: DialogueState) -> bool:
    """kefu asked which order and has none yet."""
    return bool((state.get("asked") or {}).get("order_id")) and not (state.get("slots") or {}).get("order_id")


LEAD_CHARS = 5
"""An answer to "which order" names the item first ("就是那个投影仪", "奶粉 两罐 很急"); a product further on is
part of a report ("试过了 插别的插座也不行")."""


def _leads_with_product(state: DialogueState) -> bool:
    return any(e.get("type") == "product" and int(e.get("start") or 0) <= LEAD_CHARS
               for e in state.get("entities") or [])


CASE_TOPICS = {"delivery_problem", "warranty_repair", "complaint"}
"""Policy topics about a problem with one of the customer's orders: naming the item ("就是那个蓝牙耳机 买了一周")
says which order, so kefu looks it up rather than noting it and waiting."""
LOOKUP_INTENT = "order_status"
"""The read that shows an order named on a policy topic: its items, status, latest tracking and refund."""


def _order_lookup(state: DialogueState) -> str | None:
    """The read for a message that only names an order ("353375401630", "尾号1630") while no task
    waits for it: after a rule answer or a complaint the customer gives their order so kefu looks at it,
    not so kefu says the rule again (or that it has nothing more)."""
    if state.get("awaiting_slot") or state.get("intent") in ACTION_FOR_INTENT or not state.get("active_intent"):
        return None  # a reading with an action of its own ("YT739… 到哪了") runs that action
    names = any(e.get("type") in ("order_id", "tracking_no") for e in state.get("entities") or []) \
        or acts.order_suffix(state.get("text", "")) or phone_tail(state.get("text", "")) or identity_phone(state)
    if not names or not only_supplies(state):
        return None
    topic = state.get("active_intent")
    if topic in ACTION_FOR_INTENT:
        return None  # a task of its own takes the order (``_continues_task``)
    return LOOKUP_INTENT


def _names_item(state: DialogueState) -> str | None:
    """The intent that looks up the order a message names by its item ("就是那个投影仪", "就是那个蓝牙耳机 买了
    一周") when kefu asked which order or the conversation is about a problem with one: the task's own action,
    or the read of the topic. A question about the item ("这个耳机防水吗") or a new task is no such answer."""
    active, intent = state.get("active_intent"), state.get("intent")
    if not _leads_with_product(state) or intent in ACTION_FOR_INTENT and intent != active:
        return None
    if any(e.get("type") in ("order_id", "tracking_no") for e in state.get("entities") or []):
        return None
    on_case = _order_asked(state) or active in TOPIC_FAMILY or active in CASE_TOPICS
    if not on_case or continuity.asks_something(state.get("text", "")):
        return None
    return str(active) if active in ACTION_FOR_INTENT else LOOKUP_INTENT


def continuation(state: DialogueState) -> dict[str, Any]:
    """How the message continues the dialogue, overriding the NLU's reading of it on its own: an answer to
    the question kefu's last reply left open, or a follow-up on the active topic."""
    text, intent, active = state.get("text", ""), state.get("intent"), state.get("active_intent")
    if state.get("pending_action"):
        return {}
    if details.only_details(state):  # "Crystal Minh", "Account ID: EA6A...": noted, and the step we are at again
        return {"dialogue_act": "acknowledge", "intent": active or "greeting"}
    supplies = any(e.get("type") in ("order_id", "product") for e in state.get("entities") or [])
    if acts.is_correction(text) and not supplies and active in ACTION_FOR_INTENT \
            and (state.get("slots") or {}).get("order_id"):  # "不是这单，是另一个": the order shown is dropped
        return {"intent": active, "dialogue_act": "correction", "ask": False, "drop_order": True}
    names_item = _names_item(state)
    if names_item:
        return {"intent": names_item, "ask": False}
    answer = continuity.answer_to_offer(state.get("pending_question"), text, intent, supplies)
    if answer and answer.get("declined"):
        return {"dialogue_act": "declined_offer", "intent": active or "other"}
    if answer:
        return {"intent": answer["intent"], "confidence": 1.0, "dialogue_act": "request", "ask": False}
    lookup = _order_lookup(state)
    if lookup:
        return {"intent": lookup, "ask": False}
    kind = continuity.follow_up(text) if active else None
    mentions_order = any(e.get("type") in ("order_id", "tracking_no") for e in state.get("entities") or [])
    if kind and not mentions_order and (_same_topic(intent, active) or weak_guess(state)
                                        or intent in ("complaint", "delivery_problem", "human_agent")
                                        and not escalation.names_a_human(text)):
        return {"intent": active, "follow_up": kind, "ask": False}
    names_product = any(e.get("type") == "product" for e in state.get("entities") or [])
    late = continuity.asks_arrival(text) or continuity.follow_up(text) in ("delay", "elapsed")
    if names_product and intent in POLICY_INTENTS and late and not mentions_order:
        return {"intent": "logistics_tracking", "ask": False}  # "我买的羽绒服啥时候到/咋还没到": about their order
    if intent == "greeting" and int(state.get("turn", 0)) > 1 and not continuity.greets(text) \
            and not _CLOSING.search(text) and not acts.is_dissatisfied(text):
        if active and state.get("awaiting_slot") and supplies:  # "the phone case I bought an hour ago"
            return {"intent": active, "ask": False}
        if not continuity.asks_something(text):  # "好吧", "那我还是等吧": no second self-introduction
            stray = acts.is_explicit_confirm(text) and len(text) <= 6  # "确认" with nothing to confirm
            return {"dialogue_act": "stray_confirm" if stray else "acknowledge"}
        if active:  # "多久给我答复": a question on the topic, not a greeting
            return {"intent": active, "follow_up": "short", "ask": False}
        return {"intent": "other"}
    return {}
