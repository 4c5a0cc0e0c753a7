"""DST: fold the message's entities and dialogue act into the slots, active intent and intent stack."""

from __future__ import annotations

import re
from typing import Any

from graph import dialogue_acts as acts
from graph import escalation
from graph.intents import POLICY_INTENTS, TASK_INTENTS
from graph.state import DialogueState, PendingAction

# entity types copied into slots (value as normalised by the NLU)
SLOT_ENTITIES = ("order_id", "tracking_no", "phone", "amount", "quantity", "product", "address", "sku_attr")
# slots that describe one order: a different order id makes them stale
ORDER_BOUND_SLOTS = ("tracking_no", "amount", "quantity", "sku_attr", "order_suffix", "address", "phone", "product",
                     "reason", "invoice_title", "tax_id")
# slots whose answer is the customer's own words (no entity type covers them)
FREE_TEXT_SLOTS = {"invoice_title", "tax_id", "reason", "address", "sku_attr"}
FREE_TEXT_LEAD = re.compile(
    r"^(?:(?:发票)?抬头|title|税号|tax ?id|地址|新地址|原因|规格|尺码|颜色)?"
    r"\s*(?:写成?|填|是|就|改成|换成|用|:|：)?\s*",
    re.I,
)
# intents that mean "go on with what we were doing" when a slot was just asked for
WEAK_INTENTS = {"other", "greeting", "order_status"}


def _slot_updates(state: DialogueState) -> dict[str, Any]:
    updates: dict[str, Any] = {}
    for ent in state.get("entities", []):
        if ent.get("type") in SLOT_ENTITIES and ent.get("value"):
            updates[ent["type"]] = ent["value"]
    old = state.get("slots") or {}
    if updates.get("order_id") and updates["order_id"] != old.get("order_id"):
        for name in ORDER_BOUND_SLOTS:
            if name not in updates and name in old:
                updates[name] = None
    suffix = acts.order_suffix(state.get("text", ""))
    if suffix:
        updates.pop("order_id", None)
        updates["order_suffix"] = suffix
    updates.update(_answer_to_question(state, updates))
    return updates


_QUESTION = re.compile(r"[?？]|吗|\b(?:can|could|is it|do you)\b", re.I)
_POLITE_TAIL = re.compile(r"(?:麻烦了?|谢谢了?|多谢|赶紧的?|快点|please|thanks?|thank you|pls)[\s!！。.~]*$", re.I)
_TAX_ID = re.compile(r"[0-9A-Za-z]{15,20}")


def _labelled(text: str) -> bool:
    """The message starts with a label of the slot it answers ("抬头写…", "地址：…")."""
    lead = FREE_TEXT_LEAD.match(text)
    return bool(lead and lead.group(0).strip())


def _free_text_value(slot: str, text: str) -> str | None:
    """The customer's words as a slot value: labels ("抬头写") and polite tails removed."""
    value = FREE_TEXT_LEAD.sub("", text).strip()
    if slot != "address":
        value = re.split(r"[，,！!。；;]", value)[0]
    value = _POLITE_TAIL.sub("", value).strip(" ：:，,。!！")
    if slot == "tax_id":
        match = _TAX_ID.search(value)
        return match.group(0).upper() if match else None
    return value[:120] or None


def _confirms_the_offer(state: DialogueState) -> bool:
    """"确认/是的/yes" when kefu asked which order and offered exactly one: that order."""
    offered = state.get("offered_orders") or []
    return (state.get("awaiting_slot") == "order_id" and len(offered) == 1
            and acts.is_confirm(state.get("text", "")))


def _answer_to_question(state: DialogueState, found: dict[str, Any]) -> dict[str, Any]:
    """Slots read from a reply to the question kefu asked: a pick from offered orders, or free text."""
    awaiting, text = state.get("awaiting_slot"), state.get("text", "")
    if not awaiting or awaiting in found:
        return {}
    offered = list(state.get("offered_orders") or [])
    pick = acts.ordinal(text) if awaiting == "order_id" and offered else None
    if pick and pick <= len(offered):
        return {"order_id": offered[pick - 1]}
    if _confirms_the_offer(state):
        return {"order_id": offered[0]}
    mentions_order = any(e.get("type") == "order_id" for e in state.get("entities") or [])
    answers_it = not mentions_order and (_weak_guess(state)
                                         or state.get("intent") == state.get("active_intent")
                                         or _labelled(text))
    if awaiting in FREE_TEXT_SLOTS and answers_it and not acts.is_deny(text) and not _QUESTION.search(text):
        value = _free_text_value(awaiting, text)
        return {awaiting: value} if value else {}
    return {}


def _dialogue_act(state: DialogueState) -> str:
    text = state.get("text", "")
    if state.get("pending_action"):
        if acts.is_confirm(text):
            return "confirm"
        if acts.is_deny(text):
            return "deny"
    elif acts.is_confirm(text) and len(text) <= 6 and not _confirms_the_offer(state):
        return "stray_confirm"
    if acts.is_correction(text):
        return "correction"
    if acts.is_dissatisfied(text):
        return "dissatisfied"
    return "request"


_FILLER = re.compile(
    r"订单号?|单号|号码|是|就是|这个|那个|这单|那单|的|了|呢|吧|啊|哦|嗯|好|谢谢|麻烦|please|thanks|thank you|"
    r"order|number|no\.?|is|it'?s|the|my|this|one|[\s\W_]",
    re.I,
)


def only_supplies(state: DialogueState) -> bool:
    """Apart from its entities and filler words, the message says nothing ("订单号是3130...")."""
    text = state.get("text", "")
    for ent in sorted(state.get("entities") or [], key=lambda e: -int(e.get("start", 0))):
        text = text[: int(ent.get("start", 0))] + text[int(ent.get("end", 0)):]
    return len(_FILLER.sub("", text)) <= 2


def _weak_guess(state: DialogueState) -> bool:
    """An intent too weak to override the question the last reply asked."""
    intent, text = state.get("intent"), state.get("text", "")
    return (intent in WEAK_INTENTS or float(state.get("confidence", 0)) < 0.6
            or (intent == "human_agent" and not escalation.names_a_human(text)))  # "个人" as an invoice title


def _continues_task(state: DialogueState, slot_updates: dict[str, Any]) -> bool:
    """The message answers the question the last reply asked (e.g. just an order id)."""
    awaiting = state.get("awaiting_slot")
    if not state.get("active_intent"):
        return False
    supplies = awaiting in slot_updates or (awaiting == "order_id" and "order_suffix" in slot_updates)
    weak = _weak_guess(state) or state.get("intent") == "complaint" or only_supplies(state)
    labelled = awaiting in FREE_TEXT_SLOTS and _labelled(state.get("text", ""))
    return bool(supplies and (weak or labelled)) or (bool(slot_updates) and state.get("intent") == "other")


_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外)|呢[?？]?$|^(and|what about|how about)\b", re.I)


def _follows_up(state: DialogueState) -> bool:
    """A short elliptical question ("那生鲜呢?") that continues the current policy topic."""
    text = state.get("text", "")
    return (state.get("active_intent") in POLICY_INTENTS and state.get("intent") == "other"
            and len(text) <= 20 and bool(_FOLLOW_UP.search(text)))


def _changes_proposal(pending: PendingAction, slot_updates: dict[str, Any]) -> bool:
    """The message gives a slot value that differs from what the pending proposal would use."""
    args = pending.get("args") or {}
    return any(args.get(key) != value for key, value in slot_updates.items()
               if value is not None and (key in args or key == "order_id"))


def dst(state: DialogueState) -> dict:
    slot_updates = _slot_updates(state)
    act = _dialogue_act(state)
    intent = state.get("intent", "other")
    active = state.get("active_intent")
    stack = list(state.get("intent_stack") or [])
    pending = state.get("pending_action")
    update: dict[str, Any] = {"dialogue_act": act, "slots": slot_updates}

    if act == "correction" and pending and not slot_updates:
        act = update["dialogue_act"] = "deny"  # "不对/wrong" to a proposal, naming nothing new: drop it
    if pending and act == "confirm" and _changes_proposal(pending, slot_updates):
        act = update["dialogue_act"] = "request"  # "好的，电话改成…": propose again with the new value
    if act in ("confirm", "deny") or (act in ("correction", "dissatisfied") and active and intent not in TASK_INTENTS):
        update["intent"] = active or intent
    elif _continues_task(state, slot_updates) or (act == "correction" and active) or _follows_up(state):
        update["intent"] = active
    elif intent in TASK_INTENTS and intent != active:
        task_open = bool(pending or state.get("awaiting_slot"))
        if active and task_open and all(frame["intent"] != active for frame in stack):
            stack.append({"intent": active, "slots": dict(state.get("slots") or {})})
        update["active_intent"] = intent
        if pending:  # a proposal is only confirmable right after it is shown; resume shows it again
            update["pending_action"] = None
    if pending and act != "confirm" and (_changes_proposal(pending, slot_updates) or "order_suffix" in slot_updates):
        update["pending_action"] = None
    update["intent_stack"] = stack
    return update
