"""Task families and how each picks a real order from the store (one order per task).

A builder returns None when the store has no fitting order left; `build_tasks` then draws
another family, so a small or exhausted store still yields the requested number of tasks.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from evals import phrasing
from evals.store_probe import days_since
from evals.tasks import STATUS_WORDS, UNSHIPPED, ExpectedWrite, OrderPool, Task, product_of, tracking_facts

Builder = Callable[[OrderPool, random.Random], dict[str, Any] | None]

# Relative weights of the families in a dialog run.
DIALOG_MIX: dict[str, float] = {
    "cancel_unshipped": 10,
    "cancel_shipped": 6,
    "return_delivered": 10,
    "return_not_returnable": 5,
    "return_late": 4,
    "chase_parcel": 10,
    "order_status": 8,
    "urge_shipment": 7,
    "change_address": 5,
    "invoice": 6,
    "price_drop": 6,
    "policy_question": 17,
    "demand_human": 6,
}

POLICY_INTENTS = {
    "refund_alipay": "refund_status",
    "refund_bank": "refund_status",
    "return_window": "return_policy",
    "quality_window": "return_policy",
    "shipping_insurance": "return_policy",
    "invoice_window": "invoice",
}
NEW_ADDRESSES = ["广州市天河区体育西路191号", "杭州市西湖区文三路90号", "成都市武侯区天府大道北段1700号"]
REFUSAL_WORDS = ["拒收", "退货", "签收后", "refuse", "return"]
NOT_RETURNABLE_WORDS = [
    "质量",
    "不支持",
    "不可",
    "不能",
    "无法",
    "quality",
    "not eligible",
    "cannot",
    "can't",
]
LATE_WORDS = ["超过", "已过", "过了", "超出", "expired", "beyond", "passed", "7", "15"]


def _recent_delivery(order: dict[str, Any], max_days: float) -> bool:
    age = days_since(order.get("delivered_at"))
    return age is not None and age < max_days


def _returnable(order: dict[str, Any]) -> bool:
    items = order.get("items") or []
    return bool(items) and all(int(it.get("returnable") or 0) == 1 for it in items)


def _base(order: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {
        "user_id": str(order["user_id"]),
        "order_id": str(order["order_id"]),
        "slots": {"product": product_of(order)},
        **kw,
    }


def cancel_unshipped(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Cancel an order that has not shipped: the order must end cancelled."""
    o = pool.take(rng, UNSHIPPED)
    return o and _base(
        o,
        goal="cancel_order",
        intent="cancel_order",
        expect_writes=[ExpectedWrite("cancel", str(o["order_id"]), "cancelled")],
    )


def cancel_shipped(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Try to cancel a shipped order: nothing may change; the reply must offer refusal/return."""
    o = pool.take(rng, ("shipped",))
    return o and _base(
        o, goal="cancel_order", intent="cancel_order", expect_refusal=True, facts=[REFUSAL_WORDS]
    )


def return_delivered(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Return a returnable order delivered under 7 days ago: a return must be created."""
    o = pool.take(rng, ("delivered",), lambda o: _recent_delivery(o, 6.5) and _returnable(o))
    return o and _base(
        o,
        goal="return_item",
        intent="return_request",
        expect_writes=[ExpectedWrite("return", str(o["order_id"]), "return_in_progress")],
    )


def return_not_returnable(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Return fresh/custom/digital goods without a defect: refused, nothing changes."""
    o = pool.take(
        rng,
        ("delivered",),
        lambda o: _recent_delivery(o, 6.5) and not _returnable(o) and len(o.get("items") or []) == 1,
    )
    return o and _base(
        o, goal="return_item", intent="return_request", expect_refusal=True, facts=[NOT_RETURNABLE_WORDS]
    )


def return_late(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Return an order delivered over 16 days ago: refused, nothing changes."""
    o = pool.take(
        rng,
        ("delivered", "completed"),
        lambda o: not _recent_delivery(o, 16.5) and days_since(o.get("delivered_at")) is not None,
    )
    return o and _base(
        o, goal="return_item", intent="return_request", expect_refusal=True, facts=[LATE_WORDS]
    )


def chase_parcel(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Ask where a shipped parcel is: the reply must carry its tracking number or status."""
    o = pool.take(rng, ("shipped",))
    return o and _base(
        o, goal="chase_parcel", intent="logistics_tracking", facts=tracking_facts(o), allowed_writes=["urge"]
    )


def order_status(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Ask an order's status: the reply must state it."""
    o = pool.take(rng, tuple(STATUS_WORDS))
    return o and _base(
        o,
        goal="order_status",
        intent="order_status",
        facts=[STATUS_WORDS[str(o["status"])]],
        allowed_writes=["urge"],
    )


def urge_shipment(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Urge an unshipped paid order: the reply must promise the shipping time (an urge may be logged)."""
    o = pool.take(rng, ("paid", "processing"))
    return o and _base(
        o,
        goal="urge_shipment",
        intent="urge_shipment",
        allowed_writes=["urge"],
        facts=[["48", "小时", "hours", "前发货", "ship by", "发出"]],
    )


def change_address(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Change the address of an unshipped order: an address change must be written."""
    o = pool.take(rng, UNSHIPPED)
    if not o:
        return None
    address = rng.choice(NEW_ADDRESSES)
    write = ExpectedWrite("address", str(o["order_id"]), order_fields={"address": address})
    task = _base(o, goal="change_address", intent="modify_order", expect_writes=[write])
    task["slots"]["address"] = address
    return task


def invoice(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Ask for an invoice (personal title) on a delivered order: an invoice must be issued."""
    o = pool.take(
        rng,
        ("delivered", "completed"),
        lambda o: not o.get("has_invoice") and (days_since(o.get("paid_at")) or 999) < 170,
    )
    if not o:
        return None
    task = _base(
        o, goal="invoice", intent="invoice", expect_writes=[ExpectedWrite("invoice", str(o["order_id"]))]
    )
    task["slots"]["title"] = "个人"
    return task


def price_drop(pool: OrderPool, rng: random.Random) -> dict[str, Any] | None:
    """Claim price protection on an order whose item got cheaper: a claim must be written."""
    o = pool.take(
        rng,
        ("paid", "processing", "shipped", "delivered", "completed"),
        lambda o: bool(o.get("price_drop")) and (days_since(o.get("paid_at")) or 999) < 29,
    )
    return o and _base(
        o,
        goal="price_drop",
        intent="price_protection",
        expect_writes=[ExpectedWrite("price_protection", str(o["order_id"]))],
    )


def policy_question(pool: OrderPool, rng: random.Random, users: list[str] | None = None) -> dict[str, Any]:
    """Ask a policy question: the reply must carry the policy's number; nothing changes."""
    topic = rng.choice(sorted(phrasing.load_data()["policy_questions"]))
    facts = [list(map(str, alts)) for alts in phrasing.load_data()["policy_questions"][topic]["facts"]]
    return {
        "user_id": rng.choice(users or ["demo"]),
        "goal": topic,
        "kind": "policy_question",
        "intent": POLICY_INTENTS.get(topic),
        "facts": facts,
    }


def demand_human(pool: OrderPool, rng: random.Random, users: list[str] | None = None) -> dict[str, Any]:
    """Ask for a human: the conversation must be handed off."""
    return {
        "user_id": rng.choice(users or ["demo"]),
        "goal": "demand_human",
        "intent": "human_agent",
        "expect_handoff": True,
    }


BUILDERS: dict[str, Callable[..., dict[str, Any] | None]] = {
    "cancel_unshipped": cancel_unshipped,
    "cancel_shipped": cancel_shipped,
    "return_delivered": return_delivered,
    "return_not_returnable": return_not_returnable,
    "return_late": return_late,
    "chase_parcel": chase_parcel,
    "order_status": order_status,
    "urge_shipment": urge_shipment,
    "change_address": change_address,
    "invoice": invoice,
    "price_drop": price_drop,
    "policy_question": policy_question,
    "demand_human": demand_human,
}


def build_tasks(
    orders: list[dict[str, Any]],
    n: int,
    seed: int,
    mix: dict[str, float] | None = None,
    users: list[str] | None = None,
) -> list[Task]:
    """`n` tasks drawn by `mix` over the given orders, each with a persona; deterministic for a seed."""
    rng = random.Random(seed)
    mix = dict(mix or DIALOG_MIX)
    pool = OrderPool(orders)
    names = sorted(phrasing.personas())
    users = users or sorted({str(o["user_id"]) for o in orders}) or ["demo"]
    tasks: list[Task] = []
    while len(tasks) < n and mix:
        family = rng.choices(sorted(mix), weights=[mix[k] for k in sorted(mix)])[0]
        builder = BUILDERS[family]
        spec = (
            builder(pool, rng, users) if family in ("policy_question", "demand_human") else builder(pool, rng)
        )
        if spec is None:
            mix.pop(family)  # the store has no fitting order left for this family
            continue
        spec.setdefault("kind", family)
        tasks.append(Task(task_id=f"t{len(tasks) + 1:04d}", persona=rng.choice(names), **spec))
    return tasks
