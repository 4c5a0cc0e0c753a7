"""Builds consistent order rows (items, shipment, tracking, refunds) for the demo store generator.

Rows accumulate in plain lists so the generator can write them with a few `executemany` calls.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.store.clock import add_working_days, fmt
from app.store.rules import RULES
from app.store.seed_data import world


@dataclass
class Rows:
    """Rows per table, in the column order of the INSERT statements in generator.py."""

    users: list[tuple] = field(default_factory=list)
    addresses: list[tuple] = field(default_factory=list)
    orders: list[tuple] = field(default_factory=list)
    items: list[tuple] = field(default_factory=list)
    shipments: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    refunds: list[tuple] = field(default_factory=list)
    after_sales: list[tuple] = field(default_factory=list)
    invoices: list[tuple] = field(default_factory=list)
    cases: list[tuple] = field(default_factory=list)


@dataclass
class Line:
    """One order line: product dict from the catalogue, quantity, attrs and the price paid."""

    product: dict[str, Any]
    qty: int
    attrs: dict[str, str]
    unit_price: float


@dataclass
class Timeline:
    """When an order went through each stage (None: not reached)."""

    created: datetime
    paid: datetime | None = None
    shipped: datetime | None = None
    delivered: datetime | None = None
    cancelled: datetime | None = None


@dataclass
class Customer:
    """Who receives an order."""

    user_id: str
    receiver: str
    phone: str
    address: str
    city: str
    district: str


class OrderFactory:
    """Turns (customer, status, lines, timeline) into rows; ids and tracking numbers are unique."""

    def __init__(self, rng: random.Random, now: datetime, rows: Rows) -> None:
        self.rng = rng
        self.now = now
        self.rows = rows
        self._order_ids: set[str] = set()
        self._tracking: set[str] = set()
        self._world = world()

    def new_order_id(self) -> str:
        """A fresh 12-digit order id."""
        while True:
            candidate = str(self.rng.randint(300_000_000_000, 399_999_999_999))
            if candidate not in self._order_ids:
                self._order_ids.add(candidate)
                return candidate

    def new_tracking(self, carrier: dict[str, Any]) -> str:
        """A fresh tracking number with the carrier's prefix."""
        while True:
            digits = "".join(self.rng.choice("0123456789") for _ in range(carrier["digits"]))
            candidate = carrier["code"] + digits
            if candidate not in self._tracking:
                self._tracking.add(candidate)
                return candidate

    def add_order(
        self,
        who: Customer,
        status: str,
        lines: list[Line],
        when: Timeline,
        method: str,
        insurance: bool = False,
    ) -> str:
        """Adds one order and its dependent rows; returns the order id."""
        order_id = self.new_order_id()
        subtotal = round(sum(line.unit_price * line.qty for line in lines), 2)
        shipping = 0.0 if subtotal >= RULES.free_shipping_over else RULES.shipping_fee
        self.rows.orders.append((
            order_id, who.user_id, status, fmt(when.created), fmt(when.paid), fmt(when.shipped),
            fmt(when.delivered), fmt(when.cancelled), round(subtotal + shipping, 2), shipping, method,
            who.address, who.receiver, who.phone, int(insurance),
        ))
        for number, line in enumerate(lines, start=1):
            self.rows.items.append((
                order_id, number, line.product["sku"], line.product["name"], line.qty, line.unit_price,
                json.dumps(line.attrs, ensure_ascii=False),
            ))
        if when.shipped:
            self._add_shipment(order_id, who, when.shipped, when.delivered)
        return order_id

    def _add_shipment(self, order_id: str, who: Customer, shipped: datetime, delivered: datetime | None) -> None:
        carrier = self.rng.choice(self._world["carriers"])
        self.rows.shipments.append(
            (order_id, carrier["name"], self.new_tracking(carrier), fmt(shipped), fmt(delivered))
        )
        values = {
            "origin": self.rng.choice(self._world["warehouses"]), "city": who.city,
            "district": who.district, "carrier": carrier["name"],
            "courier_phone": "1" + "".join(self.rng.choice("3456789") for _ in range(10)),
            "signer": self.rng.choice(self._world["signers"]),
        }
        limit = delivered or self.now
        for step in self._world["tracking"]:
            moment = shipped + timedelta(hours=step["hours"])
            if moment > limit or (delivered and moment >= delivered):
                break
            self.rows.events.append((order_id, fmt(moment), step["location"].format(**values),
                                     step["description"].format(**values)))
        if delivered:
            last = self._world["delivered_event"]
            self.rows.events.append((order_id, fmt(delivered), last["location"].format(**values),
                                     last["description"].format(**values)))

    def add_refund(
        self, order_id: str, source: str, amount: float, method: str, created: datetime, arrived: bool
    ) -> None:
        """Adds a refund; `arrived` refunds land at the earliest time the method allows."""
        low, high = RULES.refund_days.get(method, (3, 7))
        expected = add_working_days(created, high)
        arrived_at = add_working_days(created, low) + timedelta(hours=2) if arrived else None
        if arrived and high == 0:
            arrived_at = created + timedelta(minutes=1)
        status = "arrived" if arrived else "processing"
        self.rows.refunds.append((order_id, source, round(amount, 2), method, status, fmt(created),
                                  fmt(expected), fmt(arrived_at)))

    def add_after_sale(
        self, order_id: str, kind: str, line_no: int, line: Line, reason: str, quality: bool,
        status: str, created: datetime, insurance: bool, target_attr: str | None = None,
    ) -> None:
        """Adds a return or exchange request for one order line."""
        payer = "shop" if quality else ("insurance" if insurance else "customer")
        refund = round(line.unit_price * line.qty, 2) if kind == "return" else 0.0
        self.rows.after_sales.append((order_id, kind, line_no, line.product["sku"], line.qty, reason,
                                      int(quality), target_attr, status, payer, refund, fmt(created)))
