"""Read methods of the shop store. Everything returns plain dicts/lists (JSON-ready)."""

from __future__ import annotations

import json
from typing import Any

from app.store.base import StoreBase
from app.store.clock import fmt, shop_now

TABLES = ("users", "addresses", "categories", "products", "variants", "price_history", "payment_methods", "orders",
          "order_items", "shipments", "shipment_events", "refunds", "after_sales", "invoices", "price_protection",
          "urges", "demo_cases", "action_log", "meta", "idempotency_keys")
ORDER_COLUMNS = ("order_id, user_id, status, created_at, paid_at, shipped_at, delivered_at, cancelled_at, "
                 "total, shipping_fee, payment_method, address, receiver, phone, has_shipping_insurance")


def _item(row: dict[str, Any]) -> dict[str, Any]:
    row["attrs"] = json.loads(row["attrs"])
    return row


class ReadsMixin(StoreBase):
    """Queries the actions, the CLI and the evaluators use."""

    def user(self, user_id: str) -> dict[str, Any] | None:
        """A user's profile, or None."""
        return self._row("SELECT * FROM users WHERE user_id=?", (user_id,))

    def order_owner(self, order_id: str) -> str | None:
        """The user id an order belongs to, or None when the order does not exist."""
        row = self._row("SELECT user_id FROM orders WHERE order_id=?", (order_id,))
        return row["user_id"] if row else None

    def order_row(self, order_id: str) -> dict[str, Any] | None:
        """The bare order row (no items), or None."""
        row = self._row(f"SELECT {ORDER_COLUMNS} FROM orders WHERE order_id=?", (order_id,))
        if row:
            row["has_shipping_insurance"] = bool(row["has_shipping_insurance"])
        return row

    def items(self, order_id: str) -> list[dict[str, Any]]:
        """Order lines with their product's category and returnability."""
        rows = self._rows(
            "SELECT i.line, i.sku, i.name, i.qty, i.unit_price, i.attrs, p.category, p.returnable, "
            "c.name_zh AS category_zh, c.name_en AS category_en FROM order_items i JOIN products p ON p.sku=i.sku "
            "JOIN categories c ON c.category=p.category WHERE i.order_id=? ORDER BY i.line", (order_id,))
        for row in rows:
            row["returnable"] = bool(row["returnable"])
        return [_item(row) for row in rows]

    def get_order(self, order_id: str) -> dict[str, Any] | None:
        """One order with items, shipment (and tracking events), refunds and after-sale requests."""
        order = self.order_row(order_id)
        if order is None:
            return None
        order["items"] = self.items(order_id)
        order["shipment"] = self.shipment(order_id)
        order["refunds"] = self.refunds_for(order_id)
        order["after_sales"] = self.after_sales_for(order_id)
        return order

    def list_orders(self, user_id: str) -> list[dict[str, Any]]:
        """All orders of a user, newest first, as summaries with their items."""
        return self.recent_orders(user_id, limit=None)

    def recent_orders(self, user_id: str, limit: int | None = 5,
                      statuses: set[str] | None = None) -> list[dict[str, Any]]:
        """A user's newest orders (optionally only some statuses) as summaries with items."""
        sql = f"SELECT {ORDER_COLUMNS} FROM orders WHERE user_id=?"
        params: list[Any] = [user_id]
        if statuses:
            sql += f" AND status IN ({','.join('?' * len(statuses))})"
            params.extend(sorted(statuses))
        sql += " ORDER BY created_at DESC, order_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        orders = self._rows(sql, params)
        for order in orders:
            order["has_shipping_insurance"] = bool(order["has_shipping_insurance"])
            order["items"] = [_item(r) for r in self._rows(
                "SELECT i.line, i.sku, i.name, i.qty, i.unit_price, i.attrs, p.category FROM order_items i "
                "LEFT JOIN products p ON p.sku=i.sku WHERE i.order_id=? ORDER BY i.line", (order["order_id"],))]
        return orders

    def shipment(self, order_id: str) -> dict[str, Any] | None:
        """Carrier, tracking number and events (oldest first) of an order, or None if not shipped."""
        ship = self._row("SELECT * FROM shipments WHERE order_id=?", (order_id,))
        if ship:
            ship["events"] = self._rows(
                "SELECT time, location, description FROM shipment_events WHERE order_id=? ORDER BY time, pos",
                (order_id,))
        return ship

    def shipment_by_tracking(self, tracking_no: str) -> dict[str, Any] | None:
        """The shipment with this tracking number (with its order_id), or None."""
        row = self._row("SELECT order_id FROM shipments WHERE tracking_no=?", (tracking_no,))
        return self.shipment(row["order_id"]) if row else None

    def refunds_for(self, order_id: str) -> list[dict[str, Any]]:
        """Refunds of an order, oldest first."""
        return self._rows("SELECT * FROM refunds WHERE order_id=? ORDER BY refund_id", (order_id,))

    def after_sales_for(self, order_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        """Return and exchange requests of an order (or only one kind), oldest first."""
        sql, params = "SELECT * FROM after_sales WHERE order_id=?", [order_id]
        if kind:
            sql, params = sql + " AND kind=?", params + [kind]
        rows = self._rows(sql + " ORDER BY request_id", params)
        for row in rows:
            row["quality_issue"] = bool(row["quality_issue"])
        return rows

    def returns_for(self, order_id: str) -> list[dict[str, Any]]:
        """Return requests of an order."""
        return self.after_sales_for(order_id, "return")

    def exchanges_for(self, order_id: str) -> list[dict[str, Any]]:
        """Exchange requests of an order."""
        return self.after_sales_for(order_id, "exchange")

    def invoices_for(self, order_id: str) -> list[dict[str, Any]]:
        """Invoices of an order, oldest first (a change voids the previous one)."""
        return self._rows("SELECT * FROM invoices WHERE order_id=? ORDER BY invoice_id", (order_id,))

    def price_claims_for(self, order_id: str) -> list[dict[str, Any]]:
        """Price-protection claims of an order."""
        return self._rows("SELECT * FROM price_protection WHERE order_id=? ORDER BY claim_id", (order_id,))

    def urges_for(self, order_id: str) -> list[dict[str, Any]]:
        """Urge-shipment records of an order."""
        return self._rows("SELECT * FROM urges WHERE order_id=? ORDER BY urge_id", (order_id,))

    def product(self, sku: str) -> dict[str, Any] | None:
        """A product with its category facts, or None."""
        row = self._row("SELECT p.*, c.name_zh AS category_zh FROM products p JOIN categories c "
                        "ON c.category=p.category WHERE p.sku=?", (sku,))
        if row:
            row["returnable"] = bool(row["returnable"])
        return row

    def variants(self, sku: str) -> list[dict[str, Any]]:
        """Sizes/colours of a product with their stock."""
        return self._rows("SELECT attr, value, stock FROM variants WHERE sku=? ORDER BY pos, attr, value", (sku,))

    def current_price(self, sku: str) -> dict[str, Any] | None:
        """The price in force now: {price, kind ('regular' or 'flash_sale'), valid_from}."""
        return self._row("SELECT price, kind, valid_from FROM price_history WHERE sku=? AND valid_from<=? "
                         "ORDER BY valid_from DESC LIMIT 1", (sku, fmt(shop_now())))

    def categories(self) -> list[dict[str, Any]]:
        """The catalogue's categories: [{category, name_zh, name_en, returnable}]."""
        return self._rows("SELECT category, name_zh, name_en, returnable FROM categories ORDER BY category")

    def demo_cases(self) -> dict[str, str]:
        """The generator's named demo cases: case name -> order id of user `demo`."""
        return {r["case_name"]: r["order_id"] for r in self._rows("SELECT * FROM demo_cases")}

    def demo_case_details(self) -> list[dict[str, Any]]:
        """The named demo cases with their descriptions: [{case, order_id, description}]."""
        return self._rows("SELECT case_name AS \"case\", order_id, description FROM demo_cases ORDER BY pos, case_name")

    def action_log(self, order_id: str | None = None, action: str | None = None) -> list[dict[str, Any]]:
        """Recorded writes (oldest first) with args/before/after decoded, optionally filtered."""
        sql, params = "SELECT * FROM action_log WHERE 1=1", list[str]()
        if order_id is not None:
            sql, params = sql + " AND order_id=?", params + [order_id]
        if action is not None:
            sql, params = sql + " AND action=?", params + [action]
        rows = self._rows(sql + " ORDER BY log_id", params)
        for row in rows:
            for key in ("args", "before", "after"):
                row[key] = json.loads(row[key])
        return rows

    def snapshot(self, order_id: str) -> dict[str, Any]:
        """Everything a write can change about one order (what action_log stores before/after)."""
        return {
            "order": self.order_row(order_id),
            "refunds": self.refunds_for(order_id),
            "after_sales": self.after_sales_for(order_id),
            "invoices": self.invoices_for(order_id),
            "price_claims": self.price_claims_for(order_id),
            "urges": self.urges_for(order_id),
        }

    def counts(self) -> dict[str, int]:
        """Row counts per table (size of the shop)."""
        return {t: self._row(f"SELECT COUNT(*) AS n FROM {t}")["n"] for t in sorted(TABLES)}  # type: ignore[index]
