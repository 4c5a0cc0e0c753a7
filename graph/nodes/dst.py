"""DST: fold the message's entities and dialogue act into the slots, active intent and intent stack."""

from __future__ import annotations

import re
from typing import Any

from graph import continuity, details, escalation
from graph import dialogue_acts as acts
from graph.intents import ACTION_FOR_INTENT, POLICY_INTENTS, REGISTRY, TASK_INTENTS
from graph.state import Choice, DialogueState, PendingAction

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
        return "stray_confirm" if acts.is_explicit_confirm(text) else "acknowledge"
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
    names_order = bool({"order_suffix", "product"} & set(slot_updates))  # "尾号8823", "就那个洗发水"
    supplies = awaiting in slot_updates or (awaiting == "order_id" and names_order)
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


def _continuation(state: DialogueState) -> dict[str, Any]:
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
    answer = continuity.answer_to_offer(state.get("pending_question"), text, intent, supplies)
    if answer and answer.get("declined"):
        return {"dialogue_act": "declined_offer", "intent": active or "other"}
    if answer:
        return {"intent": answer["intent"], "confidence": 1.0, "dialogue_act": "request", "ask": False}
    kind = continuity.follow_up(text) if active else None
    mentions_order = any(e.get("type") in ("order_id", "tracking_no") for e in state.get("entities") or [])
    if kind and not mentions_order and (_same_topic(intent, active) or _weak_guess(state)
                                        or intent in ("complaint", "delivery_problem", "human_agent")
                                        and not escalation.names_a_human(text)):
        return {"intent": active, "follow_up": kind, "ask": False}
    names_product = any(e.get("type") == "product" for e in state.get("entities") or [])
    late = continuity.asks_arrival(text) or continuity.follow_up(text) in ("delay", "elapsed")
    if names_product and intent in POLICY_INTENTS and late and not mentions_order:
        return {"intent": "logistics_tracking", "ask": False}  # "我买的羽绒服啥时候到/咋还没到": about their order
    if _leads_with_product(state) and not mentions_order and (_order_asked(state) or active in TOPIC_FAMILY) \
            and intent not in ACTION_FOR_INTENT \
            and not continuity.asks_something(text):  # "就是那个投影仪": the answer to kefu's order question
        return {"intent": active if active in ACTION_FOR_INTENT else "order_status", "ask": False}
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


def _next_step(state: DialogueState, update: dict[str, Any]) -> tuple[str, str] | None:
    """A follow-up on an order whose result was already shown: the policy intent and query of what happens next."""
    slots = {**(state.get("slots") or {}), **{k: v for k, v in update["slots"].items() if v is not None}}
    known = slots.get("order_id") or slots.get("tracking_no")
    if state.get("follow_up") in (None, "short") or not known or state.get("awaiting_slot"):
        return None  # "到哪了" asks the topic's own question again: its action answers it
    return continuity.next_step(state.get("active_intent"), state.get("follow_up"))


def _order_exhausted(state: DialogueState, update: dict[str, Any]) -> bool:
    """The order was asked for three times without an answer (the conversation went to a human for it):
    a task on an unknown order is answered from the topic's policies instead of asking a fourth time."""
    intent = update.get("intent") or state.get("intent")
    slots = {**(state.get("slots") or {}), **{k: v for k, v in update["slots"].items() if v is not None}}
    known = any(slots.get(k) for k in ("order_id", "tracking_no", "order_suffix", "product"))
    return (int((state.get("asked") or {}).get("order_id", 0)) >= escalation.ASK_LIMIT and not known
            and not state.get("pending_action") and update.get("dialogue_act") == "request"
            and continuity.general_policy(intent) is not None)


AFTER_SALE_READINGS = {"product_inquiry", "warranty_repair", "delivery_problem", "return_policy", "other"}
"""Readings of a product problem ("鞋子码数不对", "耳机左边没声音") that answer no request: kefu asks which one."""


def _rule_question(text: str, readings: set[str]) -> bool:
    """An unsure reading of a question that one reading would answer from the policies ("上门取件费多少",
    "送货上楼怎么收费"): the policies answer it (with the offer to act on an order), not a question back."""
    return continuity.asks_something(text) and any(i in REGISTRY and REGISTRY[i].kind == "policy" for i in readings)


def _clarify(state: DialogueState, update: dict[str, Any]) -> list[Choice]:
    """The two readings to ask about: the NLU says it is unsure, or a product problem is described without
    saying what is wanted (exchange or return); nothing else explains the message."""
    if (update.get("dialogue_act") != "request" or state.get("follow_up") or state.get("pending_action")
            or state.get("awaiting_slot") or "intent" in update or state.get("intent") in ("human_agent", "greeting")):
        return []
    language = state.get("language") or "zh"
    if state.get("ask") is True:
        options = continuity.clarifying_options(state.get("candidates"), language)
        readings = {o["intent"] for o in options}
        same_place = readings <= TOPIC_FAMILY or all(REGISTRY[i].kind == "read" for i in readings)
        if _rule_question(state.get("text", ""), readings | {str(state.get("intent"))}):
            return []
        return options if state.get("intent") in readings and not same_place else []  # 查物流 or 查订单: both show it
    text = state.get("text", "")
    if (state.get("intent") in AFTER_SALE_READINGS and state.get("active_intent") not in ACTION_FOR_INTENT
            and not continuity.asks_something(text)):  # "质量问题多少天内能退？" is a rule question: answer it
        return continuity.after_sale_options(text, language)
    return []


def dst(state: DialogueState) -> dict:
    over = _continuation(state)
    drop = over.pop("drop_order", False)
    if over:
        state = {**state, **over}  # type: ignore[typeddict-item]
    update = _track(state, over.get("dialogue_act"))
    update.update({k: v for k, v in over.items() if k not in update})
    if drop:  # the wrong order and what was read from it go; the task asks which order again
        update["slots"].update({k: None for k in ("order_id", *ORDER_BOUND_SLOTS) if (state.get("slots") or {}).get(k)})
    step = _next_step(state, update)
    if step:
        update["intent"], update["query"] = step
    elif _order_exhausted(state, update):
        update["intent"] = continuity.general_policy(update.get("intent") or state.get("intent"))
    options = _clarify(state, update)
    if options:
        update.update(dialogue_act="clarify", choices=options)
    update["filled"] = sorted(k for k, v in update["slots"].items() if v is not None)
    return update


def _track(state: DialogueState, act_override: str | None) -> dict[str, Any]:
    """Slots, dialogue act, active intent and intent stack after this message."""
    slot_updates = _slot_updates(state)
    act = act_override or _dialogue_act(state)
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
