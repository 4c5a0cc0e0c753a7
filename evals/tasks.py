"""Tasks the tau-bench way: a goal for the simulated customer and the store state it should end in.

A task names the customer (a real store user), the order it is about, the persona that voices it,
the writes the conversation must leave in the store (kind + order + status after), writes that
are allowed but not required, whether a handoff is expected, and the facts the replies must hold.
The verdict (evals/verdict.py) reads the store, never the wording, for everything but the facts.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

UNSHIPPED = ("pending_payment", "paid", "processing")

# Words that show an order status was stated (any one is enough).
STATUS_WORDS: dict[str, list[str]] = {
    "pending_payment": ["待付款", "未付款", "待支付", "未支付", "pending payment", "not paid", "unpaid"],
    "paid": ["已付款", "已支付", "待发货", "paid"],
    "processing": ["处理中", "备货", "待发货", "processing", "being prepared"],
    "shipped": ["已发货", "运输中", "配送中", "在路上", "shipped", "in transit"],
    "delivered": ["已签收", "已送达", "delivered"],
    "completed": ["已完成", "交易完成", "completed"],
    "cancelled": ["已取消", "cancelled", "canceled"],
    "return_in_progress": ["退货中", "退货处理中", "退货申请", "return in progress", "return request"],
    "refunded": ["已退款", "退款已", "refunded"],
}


@dataclass
class ExpectedWrite:
    """A write the conversation must leave in the store's action log."""

    kind: str
    """cancel | return | exchange | price_protection | invoice | urge | address"""
    order_id: str
    status_after: str | None = None
    """The order's status once the conversation is over (None: not checked)."""
    order_fields: dict[str, str] = field(default_factory=dict)
    """Order fields the write must leave containing these values, e.g. {"address": "广州市..."}."""


@dataclass
class Task:
    """One simulated customer's goal and the expected outcome."""

    task_id: str
    kind: str
    """Task family, e.g. cancel_unshipped, cancel_shipped, policy_question."""
    goal: str
    """Key of the opening phrases in simulator.yaml (goals or policy_questions)."""
    user_id: str
    persona: str
    intent: str | None = None
    """The taxonomy intent of the opening message (None: more than one fits)."""
    order_id: str | None = None
    slots: dict[str, str] = field(default_factory=dict)
    """Details the customer supplies when asked: product, address, title."""
    expect_writes: list[ExpectedWrite] = field(default_factory=list)
    allowed_writes: list[str] = field(default_factory=list)
    """Write kinds on the task's order that may happen without failing the task."""
    expect_handoff: bool = False
    expect_refusal: bool = False
    """The shop's rules forbid the request: the customer should get a refusal, nothing changes."""
    facts: list[list[str]] = field(default_factory=list)
    """Each inner list: alternatives, one of which the replies must contain."""
    forbidden_facts: list[str] = field(default_factory=list)
    language: str | None = None
    """Force the customer's language (zh | en | mixed); None: the persona's mix decides."""
    script: list[str] = field(default_factory=list)
    """Fixed messages (abnormal-input probes) instead of a goal-driven customer."""
    opening: str | None = None
    """A scenario file's free-text goal as the customer says it (None: the phrases of `goal`)."""

    @property
    def is_write(self) -> bool:
        return bool(self.expect_writes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class OrderPool:
    """The store's orders by status; each order is handed to at most one task."""

    def __init__(self, orders: list[dict[str, Any]]) -> None:
        self._orders = [o for o in orders if o.get("order_id")]
        self._used: set[str] = set()

    def take(
        self,
        rng: random.Random,
        statuses: tuple[str, ...],
        accept: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any] | None:
        """A random unused order in one of `statuses` that `accept` likes (None when none is left)."""
        fits = [
            o
            for o in self._orders
            if o.get("status") in statuses
            and str(o["order_id"]) not in self._used
            and (accept is None or accept(o))
        ]
        if not fits:
            return None
        order = rng.choice(fits)
        self._used.add(str(order["order_id"]))
        return order

    def __len__(self) -> int:
        return len(self._orders) - len(self._used)


def product_of(order: dict[str, Any]) -> str:
    """A product name of the order, as the customer would write it."""
    for item in order.get("items") or []:
        if isinstance(item, dict):
            name = item.get("name") or item.get("title") or item.get("product")
            if name:
                return str(name)
    return "东西"


def tracking_facts(order: dict[str, Any]) -> list[list[str]]:
    """A shipped order's reply must show its tracking number or carrier when the store has one."""
    shipment = order.get("shipment") if isinstance(order.get("shipment"), dict) else {}
    tracking = order.get("tracking_no") or shipment.get("tracking_no")
    if tracking:
        return [[str(tracking)] + STATUS_WORDS["shipped"]]
    return [STATUS_WORDS["shipped"]]
