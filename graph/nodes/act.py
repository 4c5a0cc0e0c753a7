"""Act: run the business action of the active task through rasa-sdk (propose, confirm, execute)."""

from __future__ import annotations

import re
import time
from typing import Any

from langgraph.runtime import Runtime

from graph.context import TurnContext
from graph.dialogue_acts import without_venting
from graph.escalation import ORDER_REFUSALS
from graph.intents import ACTION_FOR_INTENT, LIST_ORDERS_ACTION, READ_ACTIONS
from graph.ports import ShopActions
from graph.state import ActionRecord, DialogueState, PendingAction

_DEFECT = re.compile(
    r"坏了|坏的|破了|破损|碎了|摔碎|质量问题|质量有问题|有瑕疵|故障|损坏|漏液|漏水|不能用|用不了|发霉|变质|臭了|烂了|"
    r"\b(?:defect(?:ive)?|broken|damaged|faulty|doesn'?t work)\b",
    re.I,
)


_NO_DEFECT = re.compile(r"(?:没有|没|不是|并非|无|不存在)[^，。,.!！]{0,3}(?:质量|坏|破|碎|瑕疵|故障|损)|"
                        r"\b(?:not|no|isn'?t|nothing)\b[^,.!]{0,12}\b(?:defect|broken|damaged|faulty|wrong)", re.I)


def claims_defect(text: str) -> bool:
    """The customer reports a quality problem (venting and negations such as "没有质量问题" don't count)."""
    calm = without_venting(text)
    return bool(_DEFECT.search(calm)) and not _NO_DEFECT.search(calm)


def _record(name: str, outcome: dict[str, Any], status: str | None = None) -> ActionRecord:
    record: dict[str, Any] = {
        "name": name,
        "args": outcome.get("args", {}),
        "status": status or outcome.get("status", "refused"),
        "result": outcome.get("result", {}),
    }
    for key in ("reason", "reason_en", "reason_code", "missing", "choices", "kind", "unmatched_product",
                "unmatched_phone", "phone_tail"):
        if key in outcome:
            record[key] = outcome[key]
    return record  # type: ignore[return-value]


def _action_slots(state: DialogueState) -> dict[str, Any]:
    slots = dict(state.get("slots") or {})
    text = state.get("text", "")
    if state.get("intent") in ("return_request", "exchange_request") and claims_defect(text):
        slots["quality_issue"] = True
        slots.setdefault("reason", text[:200])
    return slots


def _resolve_suffix(shop: ShopActions, slots: dict[str, Any], user_id: str) -> dict[str, Any]:
    """Turn "尾号8823" into the one order of this user whose id ends that way, and "手机尾号5586" into the
    order delivered to a phone ending that way: several become the `choices`, none is said plainly
    (`unmatched_phone`) and the order in play is dropped."""
    suffix, tail = slots.get("order_suffix"), slots.get("phone_tail")
    if not suffix and not tail:
        return {}
    listing = shop.run(LIST_ORDERS_ACTION, user_id=user_id, slots={})
    orders = listing.get("result", {}).get("orders") or listing.get("choices") or []
    if tail:
        if listing.get("status") != "done":
            return {"phone_tail": None}
        by_phone = [o for o in orders if str(o.get("phone_tail") or "") == str(tail)]
        if len(by_phone) == 1:
            return {"order_id": str(by_phone[0]["order_id"]), "phone_tail": None}
        found: dict[str, Any] = {"choices": by_phone[:5], "phone_tail": str(tail)} if by_phone else \
            {"unmatched_phone": str(tail)}
        return {"order_id": None, "phone_tail": None, **found}
    matches = [o["order_id"] for o in orders if str(o.get("order_id", "")).endswith(str(suffix))]
    return {"order_id": matches[0], "order_suffix": None} if len(matches) == 1 else {}


def names_product(product: str, item_name: str) -> bool:
    """`product` ("蓝牙耳机", "鞋") names an item ("降噪蓝牙耳机"): one contains the other, or they end the same
    way for at least two characters (the head noun of a Chinese product name is at its end)."""
    product, item_name = product.strip().lower(), item_name.strip().lower()
    if not product or not item_name:
        return False
    if product in item_name or item_name in product:
        return True
    common = 0
    while common < min(len(product), len(item_name)) and product[-1 - common] == item_name[-1 - common]:
        common += 1
    return common >= 2


def _orders_with(shop: ShopActions, user_id: str, product: str) -> tuple[list[dict[str, Any]], bool]:
    """The user's orders with an item that `product` names, and whether the order list could be read."""
    listing = shop.run(LIST_ORDERS_ACTION, user_id=user_id, slots={})
    orders = listing.get("result", {}).get("orders")
    if listing.get("status") != "done" or not isinstance(orders, list):
        return [], False
    return [o for o in orders if any(names_product(product, str(n))
                                     for n in o.get("item_names") or [o.get("item", "")])], True


def _match_product(shop: ShopActions, state: DialogueState, slots: dict[str, Any], user_id: str) -> dict[str, Any]:
    """A product the customer just named picks their order: one match fills `order_id`, several become the
    choices, none is said plainly (`unmatched`) and the product is dropped. Only when no order is given
    in the same message, or the named product is not in the order already in play."""
    product = str(slots.get("product") or "")
    named_now = "product" in (state.get("filled") or []) and "order_id" not in (state.get("filled") or [])
    if not product or slots.get("tracking_no") or not (named_now or not slots.get("order_id")):
        return {}
    matches, readable = _orders_with(shop, user_id, product)
    if not readable:
        return {}
    if any(str(o.get("order_id")) == str(slots.get("order_id")) for o in matches):
        return {}
    if len(matches) == 1:  # the item's own name, so the action finds its line ("降噪耳机" -> "降噪蓝牙耳机")
        names = [str(n) for n in matches[0].get("item_names") or [] if names_product(product, str(n))]
        return {"slots": {"order_id": str(matches[0]["order_id"]), **({"product": names[0]} if names else {})}}
    if matches:
        return {"slots": {"order_id": None}, "choices": matches[:5]}
    return {"slots": {"order_id": None, "product": None}, "unmatched": product}


def _check(shop: ShopActions, name: str, user_id: str, slots: dict[str, Any]) -> dict[str, Any]:
    """Check the action; a read about "my order" with exactly one candidate order uses that order.

    Writes never pick an order the customer did not name: they are asked, with the candidate offered.
    """
    outcome = shop.run(name, user_id=user_id, slots=slots, mode="check")
    choices = outcome.get("choices") or []
    single = len(choices) == 1 and name in READ_ACTIONS
    if outcome.get("status") == "need_slot" and outcome.get("missing", [None])[0] == "order_id" and single:
        slots = {**slots, "order_id": choices[0]["order_id"]}
        outcome = shop.run(name, user_id=user_id, slots=slots, mode="check")
        outcome.setdefault("filled", {})["order_id"] = choices[0]["order_id"]
    return outcome


UNCONFIRMED = "shop_write_unconfirmed"
"""The shop's order system did not answer a write in time: it may or may not be done, so the proposal stays
pending and the customer's next "确认" sends it again under the same request id (the shop applies it once)."""


def request_id(session_id: str, turn: int, name: str) -> str:
    """The id of one proposed write: the same on every confirmation and replay of it, so the shop's
    idempotency key never lets it apply twice; a new proposal (another turn) gets a new one."""
    return f"{session_id}:{turn}:{name}"


def _execute_pending(pending: PendingAction, shop: ShopActions, user_id: str, session_id: str) -> dict[str, Any]:
    outcome = shop.run(pending["name"], user_id=user_id, slots=pending["args"], mode="execute",
                       request_id=request_id(session_id, pending["proposed_turn"], pending["name"]))
    status = "done" if outcome.get("status") == "done" else outcome.get("status", "refused")
    kept = pending if outcome.get("reason_code") == UNCONFIRMED else None
    return {"pending_action": kept, "awaiting_slot": None, "actions": [_record(pending["name"], outcome, status)]}


def start_task(state: DialogueState, shop: ShopActions, user_id: str, session_id: str) -> dict[str, Any]:
    """Check the action of the state's intent: propose a write, run a read, or ask for a missing slot."""
    name = ACTION_FOR_INTENT[state["intent"]]
    slots = _action_slots(state)
    slot_update = _resolve_suffix(shop, slots, user_id)
    by_phone: dict[str, Any] = {k: slot_update.pop(k) for k in ("choices", "unmatched_phone") if k in slot_update}
    if by_phone.get("choices"):
        by_phone["phone_tail"] = slot_update.pop("phone_tail")
        slot_update["phone_tail"] = None
    slots.update({k: v for k, v in slot_update.items() if v is not None})
    if slot_update.get("order_id", "") is None:
        slots.pop("order_id", None)
    slots.pop("order_suffix", None)
    slots.pop("phone_tail", None)
    picked = _match_product(shop, state, slots, user_id)
    for key, value in (picked.get("slots") or {}).items():
        slot_update[key] = value
        if value is None:
            slots.pop(key, None)
        else:
            slots[key] = value
    outcome = _check(shop, name, user_id, slots)
    if outcome.get("status") == "need_slot" and (outcome.get("missing") or ["order_id"])[0] == "order_id":
        if picked.get("choices") or by_phone.get("choices"):
            outcome["choices"] = picked.get("choices") or by_phone["choices"]
        if picked.get("unmatched"):
            outcome["unmatched_product"] = picked["unmatched"]
        for key in ("unmatched_phone", "phone_tail"):
            if by_phone.get(key):
                outcome[key] = by_phone[key]
    filled = outcome.pop("filled", {})
    slot_update.update(filled)
    slots.update(filled)
    update: dict[str, Any] = {"slots": slot_update, "awaiting_slot": None, "offered_orders": []}
    status = outcome.get("status")
    if slots.get("order_id") and (status == "not_found" or outcome.get("reason_code") in ORDER_REFUSALS):
        slot_update["order_id"] = None  # an order id that is not the customer's is not kept as the task's order
    if status == "proposed" and outcome.get("needs_confirmation") is False:
        outcome = shop.run(name, user_id=user_id, slots=slots, mode="execute",
                           request_id=request_id(session_id, state.get("turn", 0), name))
        status = outcome.get("status")
    elif status == "proposed":
        update["pending_action"] = {
            "name": name,
            "args": {k: v for k, v in slots.items() if not k.startswith("kefu_")},
            "summary": outcome.get("result", {}),
            "proposed_turn": state.get("turn", 0),
        }
    elif status == "need_slot":
        missing = outcome.get("missing") or ["order_id"]
        choices = list(outcome.get("choices") or [])
        update.update(missing_slot=missing[0], awaiting_slot=missing[0], choices=choices,
                      offered_orders=[str(c["order_id"]) for c in choices if c.get("order_id")])
    update["actions"] = [_record(name, outcome)]
    return update


def act(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    shop, user_id, session_id = runtime.context.shop, runtime.context.user_id, runtime.context.session_id
    act_kind = state.get("dialogue_act")
    if act_kind == "confirm" and (confirmed := state.get("pending_action")):
        update = _execute_pending(confirmed, shop, user_id, session_id)
    elif act_kind == "deny" and (pending := state.get("pending_action")):
        update = {
            "pending_action": None,
            "actions": [{"name": pending["name"], "args": pending["args"], "status": "cancelled", "result": {}}],
        }
    else:
        update = start_task(state, shop, user_id, session_id)
    last = (update.get("actions") or [{}])[-1]
    if last.get("status") == "refused" and last.get("kind") == "write":
        update["last_refusal"] = last.get("reason_code") or "refused"
    elif last.get("status") in ("done", "proposed"):
        update["last_refusal"] = None
    timings = dict(state.get("timings") or {})
    timings["act_ms"] = (time.perf_counter() - started) * 1000
    update["timings"] = timings
    return update
