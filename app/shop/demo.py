"""`DemoShop`: the Shop protocol over kefu's demo store (SQLite under the data dir, or Postgres).

It plays the shop's order system: each write runs in one store transaction that re-checks the order's
state (refusing with `ShopRefused` when it no longer allows the write), applies it, logs it with the
order's state before and after, and keeps the answer under the request's idempotency key, so the same
key is answered from memory and never applied twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from app.shop.protocol import Order, Result, ShopNotFound, ShopRefused, ShopUnavailable
from app.store import Store, StoreError
from app.store.clock import add_working_days, fmt, shop_now
from app.store.rules import BEFORE_SHIPMENT, RECEIVED, RULES, refund_is_instant, refundable_total
from storage import DatabaseUnavailable

AFTER_SALE_OPEN = frozenset({"approved", "received", "requested", "refunded"})
PAID = frozenset({"paid", "processing", "shipped", "delivered", "completed", "return_in_progress"})
LOG_NAMES = {"cancel_order": "action_cancel_order", "change_delivery": "action_modify_order",
             "create_return": "action_return_request", "create_exchange": "action_exchange_request",
             "claim_price_protection": "action_price_protection", "request_invoice": "action_invoice_request",
             "urge_shipment": "action_urge_shipment"}
"""The action_log name of each write (the names kefu's audits and evaluations read)."""

Apply = Callable[[Order, dict[str, Any]], Result]


def request_hash(operation: str, order_id: str, user_id: str, request: dict[str, Any]) -> str:
    """What an idempotency key promises: the same operation on the same order with the same body."""
    body = json.dumps([operation, order_id, user_id, request], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _refuse_unless(condition: bool, reason_code: str, order: Order) -> None:
    if not condition:
        raise ShopRefused(reason_code, f"order {order['order_id']} is {order['status']}")


class DemoShop:
    """The demo store as a shop order system."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # reads ---------------------------------------------------------------------------------------
    def orders(self, user_id: str, *, limit: int | None = None, statuses: Iterable[str] | None = None) -> list[Order]:
        with _available(write=False), self.store.db.connect():  # one connection for all its queries
            return self.store.recent_orders(user_id, limit, set(statuses) if statuses else None)

    def order(self, order_id: str) -> Order | None:
        with _available(write=False), self.store.db.connect():
            return self._full_order(order_id)

    def _full_order(self, order_id: str) -> Order | None:
        order = self.store.get_order(order_id)
        if order is None:
            return None
        for item in order["items"]:
            item["current_price"] = self.store.current_price(item["sku"])
        order["invoices"] = self.store.invoices_for(order_id)
        order["price_claims"] = self.store.price_claims_for(order_id)
        order["urges"] = self.store.urges_for(order_id)
        return order

    def shipment(self, tracking_no: str) -> dict[str, Any] | None:
        with _available(write=False), self.store.db.connect():
            return self.store.shipment_by_tracking(tracking_no)

    def variants(self, sku: str) -> list[dict[str, Any]]:
        with _available(write=False):
            return self.store.variants(sku)

    def categories(self) -> list[dict[str, Any]]:
        with _available(write=False):
            return [{**row, "returnable": bool(row["returnable"])} for row in self.store.categories()]

    # writes --------------------------------------------------------------------------------------
    def cancel_order(self, order_id: str, *, user_id: str, key: str) -> Result:
        return self._write("cancel_order", order_id, user_id, key, {}, self._cancel)

    def change_delivery(self, order_id: str, *, user_id: str, key: str, address: str | None = None,
                        phone: str | None = None) -> Result:
        request = {k: v for k, v in (("address", address), ("phone", phone)) if v is not None}
        return self._write("change_delivery", order_id, user_id, key, request, self._change_delivery)

    def create_return(self, order_id: str, *, user_id: str, key: str, lines: list[dict[str, Any]], reason: str,
                      quality_issue: bool, paid_by: str) -> Result:
        request = {"lines": lines, "reason": reason, "quality_issue": quality_issue, "paid_by": paid_by}
        return self._write("create_return", order_id, user_id, key, request, self._return)

    def create_exchange(self, order_id: str, *, user_id: str, key: str, line: int, attr: str, value: str,
                        to_attrs: dict[str, str], reason: str, quality_issue: bool, paid_by: str) -> Result:
        request = {"line": line, "attr": attr, "value": value, "to_attrs": to_attrs, "reason": reason,
                   "quality_issue": quality_issue, "paid_by": paid_by}
        return self._write("create_exchange", order_id, user_id, key, request, self._exchange)

    def claim_price_protection(self, order_id: str, *, user_id: str, key: str,
                               claims: list[dict[str, Any]]) -> Result:
        return self._write("claim_price_protection", order_id, user_id, key, {"claims": claims}, self._claim)

    def request_invoice(self, order_id: str, *, user_id: str, key: str, title_type: str, title: str,
                        tax_id: str | None, amount: float, revision: int) -> Result:
        request = {"title_type": title_type, "title": title, "tax_id": tax_id, "amount": amount,
                   "revision": revision}
        return self._write("request_invoice", order_id, user_id, key, request, self._invoice)

    def urge_shipment(self, order_id: str, *, user_id: str, key: str, promised_ship_by: str) -> Result:
        return self._write("urge_shipment", order_id, user_id, key, {"promised_ship_by": promised_ship_by},
                           self._urge)

    def _write(self, operation: str, order_id: str, user_id: str, key: str, request: dict[str, Any],
               apply: Apply) -> Result:
        """One write: answered from the idempotency key if seen, else re-checked, applied, logged, kept."""
        if not key or len(key) > 200:
            raise ValueError("an idempotency key of 1-200 characters is required")
        digest = request_hash(operation, order_id, user_id, request)
        with _available(write=True), self.store.transaction():
            seen = self.store.remembered(key)
            if seen is not None:
                if seen["request_hash"] != digest:
                    raise ShopRefused("idempotency_key_reused", "this idempotency key was used for another request")
                return {**json.loads(seen["response"]), "replayed": True}
            order = self._full_order(order_id)
            if order is None or order["user_id"] != user_id:
                raise ShopNotFound(f"no order {order_id} of this user")
            result = self.store.logged_write(user_id, LOG_NAMES[operation], order_id, request,
                                             lambda: {"order_id": order_id, **apply(order, request)})
            result["order_status"] = self.store.order_row(order_id)["status"]  # type: ignore[index]
            self.store.remember(key, operation, digest, result)
        return {**result, "replayed": False}

    def _cancel(self, order: Order, request: dict[str, Any]) -> Result:
        _refuse_unless(order["status"] in BEFORE_SHIPMENT, "not_cancellable", order)
        now = shop_now()
        self.store.update_order(order["order_id"], status="cancelled", cancelled_at=fmt(now))
        if not order["paid_at"]:
            return {"refund_id": None}
        method, instant = order["payment_method"], refund_is_instant(order["payment_method"])
        high = RULES.refund_days.get(method, (3, 7))[1]
        refund = {"amount": refundable_total(order), "method": method, "status": "arrived" if instant else "processing",
                  "expected_by": fmt(add_working_days(now, high)), "arrived_at": fmt(now) if instant else None}
        refund_id = self.store.add_refund(order["order_id"], "cancel", refund["amount"], method, refund["status"],
                                          refund["expected_by"], refund["arrived_at"])
        return {"refund_id": refund_id, "refund_status": refund["status"]}

    def _change_delivery(self, order: Order, request: dict[str, Any]) -> Result:
        _refuse_unless(order["status"] in BEFORE_SHIPMENT, "already_shipped", order)
        if not request:
            raise ShopRefused("nothing_to_change", "give an address or a phone")
        self.store.update_order(order["order_id"], **request)
        return {"updated": sorted(request)}

    def _open_lines(self, order: Order, lines: list[int]) -> dict[int, dict[str, Any]]:
        items = {i["line"]: i for i in order["items"]}
        busy = {a["line"] for a in order["after_sales"] if a["status"] in AFTER_SALE_OPEN}
        for line in lines:
            if line not in items:
                raise ShopRefused("unknown_line", f"order {order['order_id']} has no line {line}")
            if line in busy:
                raise ShopRefused("line_in_after_sale", f"line {line} already has an after-sale request")
        return items

    def _return(self, order: Order, request: dict[str, Any]) -> Result:
        _refuse_unless(order["status"] in RECEIVED | {"return_in_progress"}, "not_received", order)
        items = self._open_lines(order, [int(line["line"]) for line in request["lines"]])
        ids = [self.store.add_after_sale(order["order_id"], "return", items[int(line["line"])], request["reason"],
                                         bool(request["quality_issue"]), request["paid_by"],
                                         float(line["refund_amount"])) for line in request["lines"]]
        self.store.update_order(order["order_id"], status="return_in_progress")
        return {"request_ids": ids}

    def _exchange(self, order: Order, request: dict[str, Any]) -> Result:
        _refuse_unless(order["status"] in RECEIVED | {"return_in_progress"}, "not_received", order)
        item = self._open_lines(order, [int(request["line"])])[int(request["line"])]
        stock = {(v["attr"], v["value"]): v["stock"] for v in self.store.variants(item["sku"])}
        if stock.get((request["attr"], request["value"]), 0) <= 0:
            raise ShopRefused("out_of_stock", f"{item['sku']} {request['value']} is out of stock")
        request_id = self.store.add_after_sale(order["order_id"], "exchange", item, request["reason"],
                                               bool(request["quality_issue"]), request["paid_by"], 0.0,
                                               json.dumps(request["to_attrs"], ensure_ascii=False))
        self.store.change_stock(item["sku"], request["attr"], request["value"], -1)
        return {"request_id": request_id}

    def _claim(self, order: Order, request: dict[str, Any]) -> Result:
        _refuse_unless(order["status"] in PAID and bool(order["paid_at"]), "not_paid", order)
        items = {i["line"]: i for i in order["items"]}
        claimed = {c["line"] for c in order["price_claims"]}
        if any(int(c["line"]) in claimed or int(c["line"]) not in items for c in request["claims"]):
            raise ShopRefused("already_claimed", "a line of this claim was already compensated")
        ids = [self.store.add_price_claim(order["order_id"], items[int(c["line"])], float(c["current_price"]),
                                          float(c["amount"])) for c in request["claims"]]
        total = round(sum(float(c["amount"]) for c in request["claims"]), 2)
        method, now = order["payment_method"], shop_now()
        instant = refund_is_instant(method)
        refund_id = self.store.add_refund(order["order_id"], "price_protection", total, method,
                                          "arrived" if instant else "processing",
                                          fmt(add_working_days(now, RULES.refund_days.get(method, (3, 7))[1])),
                                          fmt(now) if instant else None)
        return {"claim_ids": ids, "refund_id": refund_id}

    def _invoice(self, order: Order, request: dict[str, Any]) -> Result:
        _refuse_unless(order["status"] in PAID and bool(order["paid_at"]), "not_paid", order)
        issued = [i for i in order["invoices"] if i["status"] == "issued"]
        expected = issued[-1]["revision"] + 1 if issued else 0
        if int(request["revision"]) != expected:
            raise ShopRefused("invoice_changed", "the order's invoice changed since it was read")
        invoice_id = self.store.add_invoice(order["order_id"], request["title_type"], request["title"],
                                            request["tax_id"], float(request["amount"]), int(request["revision"]))
        return {"invoice_id": invoice_id}

    def _urge(self, order: Order, request: dict[str, Any]) -> Result:
        _refuse_unless(order["status"] in ("paid", "processing"), "not_awaiting_shipment", order)
        return {"urge_id": self.store.add_urge(order["order_id"], request["promised_ship_by"])}


@contextmanager
def _available(write: bool) -> Iterator[None]:
    """Store outages as the protocol's ShopUnavailable (a failed write was not applied: its transaction
    rolled back, or the commit's fate is unknown when the connection died during it)."""
    try:
        yield
    except (DatabaseUnavailable, StoreError) as exc:
        raise ShopUnavailable(f"the shop store is unavailable: {exc}", outcome_unknown=write) from exc
