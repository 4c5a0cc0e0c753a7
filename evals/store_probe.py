"""Read-only view of the shop store (settings.store_path) for task building and verdicts.

It reads the store's documented tables (orders, order_items, products, shipments, price_history,
action_log) with a read-only SQLite connection, so an evaluation can never change the shop.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from evals.verdict import WriteRecord

_SHOP_TZ = timezone(timedelta(hours=8))


class StoreProbe:
    """Read-only queries on one shop database."""

    def __init__(self, path: Path) -> None:
        if not Path(path).exists():
            raise FileNotFoundError(f"no shop store at {path}")
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        conn.row_factory = sqlite3.Row
        return conn

    def mark(self) -> int:
        """A position in the action log; `writes_since(mark)` returns what came after it."""
        with self._connect() as conn:
            row = conn.execute("SELECT COALESCE(MAX(log_id), 0) FROM action_log").fetchone()
        return int(row[0])

    def writes_since(self, mark: int, user_id: str | None = None) -> list[WriteRecord]:
        """Writes logged after `mark` (for one user when given), oldest first."""
        query = "SELECT action, order_id, before, after FROM action_log WHERE log_id > ?"
        params: list[Any] = [mark]
        if user_id is not None:
            query += " AND user_id = ?"
            params.append(user_id)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY log_id", params).fetchall()
        return [
            WriteRecord(
                r["action"], r["order_id"], _status(r["before"]), _status(r["after"]), _order(r["after"])
            )
            for r in rows
        ]

    def statuses(self, order_ids: list[str]) -> dict[str, str | None]:
        """Current status of each order (None for an unknown id)."""
        out: dict[str, str | None] = {str(o): None for o in order_ids}
        if not order_ids:
            return out
        marks = ",".join("?" for _ in order_ids)
        with self._connect() as conn:
            for row in conn.execute(
                f"SELECT order_id, status FROM orders WHERE order_id IN ({marks})",
                [str(o) for o in order_ids],
            ):
                out[str(row["order_id"])] = row["status"]
        return out

    def orders(self) -> list[dict[str, Any]]:
        """Every order with its items, shipment and the facts tasks are chosen by."""
        with self._connect() as conn:
            orders = {r["order_id"]: dict(r) for r in conn.execute("SELECT * FROM orders")}
            for o in orders.values():
                o["items"] = []
            for r in conn.execute(
                "SELECT i.order_id, i.line, i.sku, i.name, i.qty, i.unit_price, p.category, p.returnable "
                "FROM order_items i LEFT JOIN products p ON p.sku = i.sku ORDER BY i.order_id, i.line"
            ):
                if r["order_id"] in orders:
                    orders[r["order_id"]]["items"].append(dict(r))
            for r in conn.execute("SELECT order_id, carrier, tracking_no FROM shipments"):
                if r["order_id"] in orders:
                    orders[r["order_id"]].update(carrier=r["carrier"], tracking_no=r["tracking_no"])
            for r in conn.execute("SELECT DISTINCT order_id FROM invoices"):
                if r["order_id"] in orders:
                    orders[r["order_id"]]["has_invoice"] = True
            current = _current_prices(conn)
        for o in orders.values():
            o["price_drop"] = any(
                it["sku"] in current
                and current[it["sku"]][1] == "regular"
                and current[it["sku"]][0] < float(it["unit_price"]) - 0.01
                for it in o["items"]
            )
        return list(orders.values())

    def categories(self) -> list[str]:
        """Every product category of the shop's catalogue."""
        with self._connect() as conn:
            return [str(r[0]) for r in conn.execute("SELECT DISTINCT category FROM products ORDER BY 1") if r[0]]

    def user_ids(self) -> list[str]:
        """Every customer id of the shop."""
        with self._connect() as conn:
            return [r[0] for r in conn.execute("SELECT user_id FROM users ORDER BY user_id")]


def _current_prices(conn: sqlite3.Connection) -> dict[str, tuple[float, str]]:
    """sku -> (price, kind) of the latest price-history row that is already valid."""
    now = datetime.now(_SHOP_TZ).strftime("%Y-%m-%d %H:%M:%S")
    out: dict[str, tuple[float, str]] = {}
    for r in conn.execute(
        "SELECT sku, price, kind FROM price_history WHERE valid_from <= ? ORDER BY sku, valid_from", (now,)
    ):
        out[r["sku"]] = (float(r["price"]), str(r["kind"]))
    return out


def _order(blob: str | None) -> dict[str, Any]:
    """The order row of an action-log snapshot ({} when absent)."""
    try:
        data = json.loads(blob or "null")
    except json.JSONDecodeError:
        return {}
    order = data.get("order") if isinstance(data, dict) else None
    return order if isinstance(order, dict) else {}


def _status(blob: str | None) -> str | None:
    try:
        data = json.loads(blob or "null")
    except json.JSONDecodeError:
        return None
    if isinstance(data, dict):
        if "status" in data:
            return str(data["status"])
        order = data.get("order")
        if isinstance(order, dict) and "status" in order:
            return str(order["status"])
    return None


def days_since(stamp: str | None) -> float | None:
    """Days between a stored shop-local time and now (None when unset)."""
    if not stamp:
        return None
    then = datetime.strptime(stamp[:19], "%Y-%m-%d %H:%M:%S")
    now = datetime.now(_SHOP_TZ).replace(tzinfo=None)
    return (now - then).total_seconds() / 86400.0
