"""Write primitives of the shop store, and `logged_write`, which wraps any write in a transaction
and records it in `action_log` with the order's state before and after (JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from app.store.clock import fmt, shop_now
from app.store.reads import ReadsMixin

ORDER_FIELDS = frozenset({"status", "cancelled_at", "address", "phone"})


class WritesMixin(ReadsMixin):
    """Mutations. Call them inside `logged_write` (or `transaction`) so they are atomic and audited."""

    def logged_write(
        self, user_id: str, action: str, order_id: str, args: dict[str, Any], write: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """Runs `write()` in a transaction, logs before/after; returns its result plus `log_id`."""
        with self.transaction():
            before = self.snapshot(order_id)
            result = write()
            after = self.snapshot(order_id)
            log_id = self._insert(
                "INSERT INTO action_log (at, user_id, action, order_id, args, before, after) VALUES (?,?,?,?,?,?,?)",
                (fmt(shop_now()), user_id, action, order_id, json.dumps(args, ensure_ascii=False),
                 json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)), "log_id")
        return {**result, "log_id": log_id}

    def update_order(self, order_id: str, **changes: Any) -> None:
        """Sets order fields (status, cancelled_at, address, phone)."""
        unknown = set(changes) - ORDER_FIELDS
        if unknown:
            raise ValueError(f"order fields not writable: {sorted(unknown)}")
        assignments = ", ".join(f"{name}=?" for name in changes)
        self._execute(f"UPDATE orders SET {assignments} WHERE order_id=?", [*changes.values(), order_id])

    def add_refund(self, order_id: str, source: str, amount: float, method: str, status: str,
                   expected_by: str | None, arrived_at: str | None) -> int:
        """Inserts a refund; returns its id."""
        return self._insert(
            "INSERT INTO refunds (order_id, source, amount, method, status, created_at, expected_by, arrived_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (order_id, source, round(amount, 2), method, status, fmt(shop_now()), expected_by, arrived_at),
            "refund_id")

    def add_after_sale(self, order_id: str, kind: str, line: dict[str, Any], reason: str, quality_issue: bool,
                       paid_by: str, refund_amount: float, target_attr: str | None = None) -> int:
        """Inserts an approved return or exchange request for one order line; returns its id."""
        return self._insert(
            "INSERT INTO after_sales (order_id, kind, line, sku, qty, reason, quality_issue, target_attr, status, "
            "return_shipping_paid_by, refund_amount, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (order_id, kind, line["line"], line["sku"], line["qty"], reason, int(quality_issue), target_attr,
             "approved", paid_by, round(refund_amount, 2), fmt(shop_now())), "request_id")

    def change_stock(self, sku: str, attr: str, value: str, delta: int) -> None:
        """Moves a variant's stock by `delta` (exchanges reserve one unit of the new variant)."""
        self._execute("UPDATE variants SET stock=stock+? WHERE sku=? AND attr=? AND value=?", (delta, sku, attr, value))

    def add_invoice(self, order_id: str, title_type: str, title: str, tax_id: str | None, amount: float,
                    revision: int) -> int:
        """Issues an invoice, voiding the order's previous ones; returns its id."""
        self._execute("UPDATE invoices SET status='voided' WHERE order_id=? AND status='issued'", (order_id,))
        return self._insert(
            "INSERT INTO invoices (order_id, title_type, title, tax_id, amount, status, revision, created_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (order_id, title_type, title, tax_id, round(amount, 2), "issued", revision, fmt(shop_now())), "invoice_id")

    def add_price_claim(self, order_id: str, line: dict[str, Any], current_price: float, amount: float) -> int:
        """Records an approved price-protection claim for one order line; returns its id."""
        return self._insert(
            "INSERT INTO price_protection (order_id, line, sku, paid_price, current_price, qty, amount, status, "
            "created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (order_id, line["line"], line["sku"], line["unit_price"], current_price, line["qty"], round(amount, 2),
             "approved", fmt(shop_now())), "claim_id")

    def add_urge(self, order_id: str, promised_ship_by: str) -> int:
        """Logs an urge-shipment request; returns its id."""
        return self._insert("INSERT INTO urges (order_id, created_at, promised_ship_by) VALUES (?,?,?)",
                            (order_id, fmt(shop_now()), promised_ship_by), "urge_id")

    def remembered(self, key: str) -> dict[str, Any] | None:
        """The stored answer to an earlier write with this idempotency key, or None."""
        return self._row("SELECT key, operation, request_hash, status_code, response FROM idempotency_keys "
                         "WHERE key=?", (key,))

    def remember(self, key: str, operation: str, request_hash: str, response: dict[str, Any]) -> None:
        """Keeps the answer to a write under its idempotency key (inside the write's transaction)."""
        self._execute("INSERT INTO idempotency_keys (key, operation, request_hash, status_code, response, created_at) "
                      "VALUES (?,?,?,?,?,?)", (key, operation, request_hash, 200,
                                               json.dumps(response, ensure_ascii=False), fmt(shop_now())))
