"""Retrieve: rewrite the turn into a standalone query and fetch the effective policy passages.

On an order topic (a rule question about returns, cancelling, invoices...), it also finds the customer's
orders the action could serve, so the answer can offer to act on them, and reads the order already in
play (its items, state and payment method), which may settle which case of a rule applies.
"""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime

from graph import escalation, situation
from graph.context import TurnContext
from graph.intents import ACTION_FOR_INTENT
from graph.ports import PolicyBase, ShopActions
from graph.state import DialogueState

TOP_K = 3
MAX_OFFERED = 3
ORDER_DETAILS = "action_order_details"


def find_passages(policies: PolicyBase, text: str, history: list[str], slots: dict[str, Any]) -> tuple[str, list]:
    """The standalone query of `text` (given the customer's earlier messages and the slots) and its passages."""
    from knowledge import rewrite_query

    query = rewrite_query(text, history, slots)
    return query, policies.search(query, k=TOP_K)


def _offer(shop: ShopActions, user_id: str, intent: str | None, product: str = "") -> dict[str, Any]:
    """The customer's orders the intent's action could serve (asked as "which one?" after the answer); when
    the message names a product, only the orders holding it (none: no offer, the question was general)."""
    action = ACTION_FOR_INTENT.get(intent or "")
    if action is None or action == ORDER_DETAILS:
        return {}
    try:
        outcome = shop.run(action, user_id=user_id, slots={}, mode="check")
    except Exception:  # noqa: BLE001 - an unreachable shop only loses the offer, never the answer
        return {}
    choices = [c for c in outcome.get("choices") or [] if c.get("order_id") and _holds(c, product)][:MAX_OFFERED]
    if outcome.get("status") != "need_slot" or not choices:
        return {}
    return {"choices": choices, "offered_orders": [str(c["order_id"]) for c in choices],
            "awaiting_slot": "order_id", "missing_slot": "order_id"}


def _holds(choice: dict[str, Any], product: str) -> bool:
    from graph.nodes.act import names_product

    names = choice.get("item_names") or [choice.get("item", "")]
    return not product or any(names_product(product, str(n)) for n in names)


def _named_product(state: DialogueState) -> str:
    """The product this message names ("空调几天上门"), "" when none."""
    return next((str(e.get("value") or "") for e in state.get("entities") or [] if e.get("type") == "product"), "")


def order_condition(shop: ShopActions, user_id: str, order_id: str | None) -> str:
    """What the order in play says about the case that applies: its items, their category, its state and
    how it was paid ("" when no order is in play or the shop cannot tell)."""
    if not order_id:
        return ""
    try:
        outcome = shop.run(ORDER_DETAILS, user_id=user_id, slots={"order_id": order_id}, mode="check")
    except Exception:  # noqa: BLE001 - the answer goes on without the order's facts
        return ""
    order = outcome.get("result") if outcome.get("status") == "done" else None
    if not isinstance(order, dict):
        return ""
    items = [f"{i.get('name', '')} {i.get('category_zh', '')}" for i in order.get("items") or []]
    return " ".join([*items, str(order.get("status_zh") or ""), str(order.get("payment_method_zh") or "")]).strip()


def retrieve(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    ctx = runtime.context
    history = [m["content"] for m in state.get("messages", [])[:-1] if m["role"] == "user"][-3:]
    slots = dict(state.get("slots") or {})
    if state.get("query"):  # the DST's query for the next step of the topic (graph/continuity.py)
        query, passages = state["query"], ctx.policies.search(state["query"], k=TOP_K)
    else:
        query, passages = find_passages(ctx.policies, state.get("text", ""), history, slots)
    facts = order_condition(ctx.shop, ctx.user_id, slots.get("order_id"))
    passages = situation.fitting(passages, [*history[-2:], state.get("text", "")], facts)[:TOP_K]
    update: dict[str, Any] = {"passages": passages, "query": query, "order_facts": facts}
    if state.get("intent") in ACTION_FOR_INTENT and not slots.get("order_id") and not escalation.ask_spent(state):
        update.update(_offer(ctx.shop, ctx.user_id, state.get("intent"), _named_product(state)))
    timings = dict(state.get("timings") or {})
    timings["retrieve_ms"] = (time.perf_counter() - started) * 1000
    update["timings"] = timings
    return update
