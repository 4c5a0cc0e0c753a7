"""DST slots: the values a message gives (entities, a pick from the offered orders, the customer's own words
for a free-text slot) and whether the message only supplies them."""

from __future__ import annotations

import re
from typing import Any

from graph import dialogue_acts as acts
from graph import escalation
from graph.state import DialogueState

# entity types copied into slots (value as normalised by the NLU)
SLOT_ENTITIES = ("order_id", "tracking_no", "phone", "amount", "quantity", "product", "address", "sku_attr")
# slots that describe one order: a different order id makes them stale
ORDER_BOUND_SLOTS = ("tracking_no", "amount", "quantity", "sku_attr", "order_suffix", "phone_tail", "address", "phone",
                     "product", "reason", "invoice_title", "tax_id")
# slots whose answer is the customer's own words (no entity type covers them)
FREE_TEXT_SLOTS = {"invoice_title", "tax_id", "reason", "address", "sku_attr"}
FREE_TEXT_LEAD = re.compile(
    r"^(?:(?:发票)?抬头|title|税号|tax ?id|地址|新地址|原因|规格|尺码|颜色)?"
    r"\s*(?:写成?|填|是|就|改成|换成|用|:|：)?\s*",
    re.I,
)
# "手机尾号5586", "收货电话后四位是5586", "phone ending in 5586": the delivery phone's last four digits, not an order
PHONE_TAIL = re.compile(
    r"(?:手机|电话|手机号|号码)[^，,。；;\d]{0,6}?(?:尾号|尾数|后四位|后4位|最后四位|末四位)\s*(?:是|为|:|：)?\s*(\d{4})(?!\d)|"
    r"\b(?:phone|mobile)(?: number)?\s+(?:ending|ends)(?: in| with)?\s*(\d{4})\b|"
    r"\blast (?:4|four) digits of (?:my|the) (?:phone|mobile)(?: number)?(?: are| is)?\s*(\d{4})\b",
    re.I,
)


def phone_tail(text: str) -> str | None:
    """The last four digits of a phone the customer names an order by, or None."""
    match = PHONE_TAIL.search(text)
    return next((g for g in match.groups() if g), None) if match else None


_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_CHANGE = re.compile(r"改|换成|变成|更新|新(?:的)?(?:手机|电话|号码)|\b(?:change|update|new)\b", re.I)
PHONE_TASK_SLOTS = ("phone", "address")


def identity_phone(state: DialogueState) -> str | None:
    """The last four digits of a whole mobile number given to say who the customer is ("手机号13957216630",
    "my phone is 13682440157") while no order is known: the delivery phone the order is found by, not a
    phone to change to (kefu asked for one, or the message says it changes)."""
    text = state.get("text", "")
    match = _MOBILE.search(text)
    if not match or state.get("awaiting_slot") in PHONE_TASK_SLOTS or _CHANGE.search(text):
        return None
    if (state.get("slots") or {}).get("order_id") and state.get("awaiting_slot") != "order_id":
        return None
    return match.group(0)[-4:]


# intents that mean "go on with what we were doing" when a slot was just asked for
WEAK_INTENTS = {"other", "greeting", "order_status"}


def read_slots(state: DialogueState) -> dict[str, Any]:
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
    tail = phone_tail(state.get("text", "")) or identity_phone(state)
    if tail:  # the phone's tail, not the order's (nor a phone to change to)
        updates.pop("order_id", None)
        updates.pop("phone", None)
        updates["phone_tail"] = tail
    elif suffix:
        updates.pop("order_id", None)
        updates["order_suffix"] = suffix
    updates.update(_answer_to_question(state, updates))
    return updates


_QUESTION = re.compile(r"[?？]|吗|\b(?:can|could|is it|do you)\b", re.I)
_POLITE_TAIL = re.compile(r"(?:麻烦了?|谢谢了?|多谢|赶紧的?|快点|please|thanks?|thank you|pls)[\s!！。.~]*$", re.I)
_TAX_ID = re.compile(r"[0-9A-Za-z]{15,20}")


def starts_with_label(text: str) -> bool:
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


def confirms_the_offer(state: DialogueState) -> bool:
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
    if confirms_the_offer(state):
        return {"order_id": offered[0]}
    mentions_order = any(e.get("type") == "order_id" for e in state.get("entities") or [])
    answers_it = not mentions_order and (weak_guess(state)
                                         or state.get("intent") == state.get("active_intent")
                                         or starts_with_label(text))
    if awaiting in FREE_TEXT_SLOTS and answers_it and not acts.is_deny(text) and not _QUESTION.search(text):
        value = _free_text_value(awaiting, text)
        return {awaiting: value} if value else {}
    return {}


_FILLER = re.compile(
    r"订单号?|单号|号码|手机号?|电话|尾号|是|就是|这个|那个|这单|那单|的|了|呢|吧|啊|哦|嗯|好|谢谢|麻烦|"
    r"please|thanks|thank you|"
    r"order|number|no\.?|is|it'?s|the|my|this|one|phone|mobile|[\s\W_]",
    re.I,
)


def only_supplies(state: DialogueState) -> bool:
    """Apart from its entities and filler words, the message says nothing ("订单号是3130...")."""
    text = state.get("text", "")
    for ent in sorted(state.get("entities") or [], key=lambda e: -int(e.get("start", 0))):
        text = text[: int(ent.get("start", 0))] + text[int(ent.get("end", 0)):]
    return len(_FILLER.sub("", text)) <= 2


def weak_guess(state: DialogueState) -> bool:
    """An intent too weak to override the question the last reply asked."""
    intent, text = state.get("intent"), state.get("text", "")
    return (intent in WEAK_INTENTS or float(state.get("confidence", 0)) < 0.6
            or (intent == "human_agent" and not escalation.names_a_human(text)))  # "个人" as an invoice title
