"""Read actions: order details, logistics tracking, refund status, order list. Nothing is written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from app.actions.base import ActionContext, KefuAction, order_choice
from app.actions.errors import NotFound
from app.actions.messages import refund_route, status_name
from app.actions.slots import clean_text, tracking_slot
from app.store.clock import fmt, parse
from app.store.rules import ORDER_STATUSES, PAYMENT_NAMES, RULES

LIST_LIMIT = 20
DELIVERY_DAYS = 3


def order_view(order: dict[str, Any]) -> dict[str, Any]:
    """An order as the customer may see it (their own order): status names, masked phone, items."""
    ship = order.get("shipment")
    phone = order["phone"]
    return {
        "order_id": order["order_id"], "status": order["status"], "status_zh": status_name(order["status"]),
        "status_en": status_name(order["status"], "en"), "created_at": order["created_at"],
        "paid_at": order["paid_at"], "shipped_at": order["shipped_at"], "delivered_at": order["delivered_at"],
        "cancelled_at": order["cancelled_at"], "total": order["total"], "shipping_fee": order["shipping_fee"],
        "payment_method": order["payment_method"],
        "payment_method_zh": PAYMENT_NAMES.get(order["payment_method"], (order["payment_method"],))[0],
        "receiver": order["receiver"], "address": order["address"], "phone_masked": phone[:3] + "****" + phone[-4:],
        "has_shipping_insurance": order["has_shipping_insurance"],
        "items": [{k: i[k] for k in ("line", "sku", "name", "qty", "unit_price", "attrs", "category_zh", "returnable")}
                  for i in order["items"]],
        "shipment": None if not ship else {
            "carrier": ship["carrier"], "tracking_no": ship["tracking_no"], "eta": delivery_eta(ship),
            "latest": ship["events"][-1] if ship["events"] else None},
        "refunds": [refund_view(r) for r in order["refunds"]],
        "after_sales": [{k: a[k] for k in ("request_id", "kind", "sku", "qty", "reason", "status", "target_attr",
                                          "created_at")} for a in order["after_sales"]],
    }


def refund_view(refund: dict[str, Any]) -> dict[str, Any]:
    """A refund with where it goes and how long it takes."""
    route = refund_route(refund["method"])
    return {"refund_id": refund["refund_id"], "source": refund["source"], "amount": refund["amount"],
            "method": refund["method"], "method_zh": route["method_zh"], "status": refund["status"],
            "created_at": refund["created_at"], "expected_by": refund["expected_by"],
            "arrived_at": refund["arrived_at"], "time": route["time"], "time_en": route["time_en"],
            "status_zh": "已到账" if refund["status"] == "arrived" else "退款处理中",
            "eta": None if refund["arrived_at"] else refund["expected_by"]}


def delivery_eta(shipment: dict[str, Any]) -> str | None:
    """Expected delivery date of a parcel still on its way (shipment + 3 days), else None."""
    shipped = parse(shipment.get("shipped_at"))
    if shipment.get("delivered_at") or shipped is None:
        return None
    return (shipped + timedelta(days=DELIVERY_DAYS)).strftime("%Y-%m-%d")


def promised_ship_by(order: dict[str, Any]) -> str | None:
    """When a paid order must ship at the latest (payment + 48 hours)."""
    paid = parse(order.get("paid_at"))
    return fmt(paid + timedelta(hours=RULES.ship_within_hours)) if paid else None


class ActionOrderDetails(KefuAction):
    """Shows one of the user's orders: status, items, amounts, shipment, refunds, after-sales."""

    action_name = "action_order_details"

    def perform(self, ctx: ActionContext) -> dict[str, Any]:
        return {"status": "done", "result": order_view(ctx.order())}


class ActionTrackLogistics(KefuAction):
    """Tracks a parcel by order id or tracking number (events newest first)."""

    action_name = "action_track_logistics"
    arg_slots = ("order_id", "tracking_no")
    choice_statuses: ClassVar[frozenset[str] | None] = frozenset({"shipped", "delivered", "processing", "paid"})

    def perform(self, ctx: ActionContext) -> dict[str, Any]:
        tracking_no = tracking_slot(ctx.slots.get("tracking_no"))
        if tracking_no and not clean_text(ctx.slots.get("order_id")):
            shipment = ctx.shop.shipment(tracking_no)
            if shipment is None:
                raise NotFound("tracking_not_found", tracking_no=tracking_no)
            ctx.slots = {**ctx.slots, "order_id": shipment["order_id"]}
        order = ctx.order(self.choice_statuses)
        ship = order["shipment"]
        result: dict[str, Any] = {"order_id": order["order_id"], "status": order["status"],
                                  "status_zh": status_name(order["status"]), "shipped": ship is not None}
        if ship is None:
            result["promised_ship_by"] = promised_ship_by(order) if order["status"] in ("paid", "processing") else None
            return {"status": "done", "result": result}
        events = list(reversed(ship["events"]))
        result.update(carrier=ship["carrier"], tracking_no=ship["tracking_no"], shipped_at=ship["shipped_at"],
                      delivered_at=ship["delivered_at"], eta=delivery_eta(ship), latest=events[0] if events else None,
                      events=events)
        return {"status": "done", "result": result}


class ActionRefundStatus(KefuAction):
    """Where the refunds of an order stand: amount, route, expected and actual arrival."""

    action_name = "action_refund_status"
    choice_statuses: ClassVar[frozenset[str] | None] = frozenset({"refunded", "return_in_progress", "cancelled"})

    def perform(self, ctx: ActionContext) -> dict[str, Any]:
        order = ctx.order(self.choice_statuses)
        refunds = [refund_view(r) for r in order["refunds"]]
        open_returns = [{k: a[k] for k in ("request_id", "kind", "sku", "status", "refund_amount", "created_at")}
                        for a in order["after_sales"] if a["status"] not in ("refunded", "closed", "done")]
        result = {"order_id": order["order_id"], "status": order["status"],
                  "status_zh": status_name(order["status"]), "has_refund": bool(refunds), "refunds": refunds,
                  "pending_returns": open_returns,
                  "total_refunded": round(sum(r["amount"] for r in refunds), 2),
                  "all_arrived": bool(refunds) and all(r["status"] == "arrived" for r in refunds)}
        return {"status": "done", "result": result}


class ActionListOrders(KefuAction):
    """Lists the user's newest orders (optionally one status, slot `order_status`)."""

    action_name = "action_list_orders"
    arg_slots = ("order_status",)

    def perform(self, ctx: ActionContext) -> dict[str, Any]:
        wanted = clean_text(ctx.slots.get("order_status"), 30)
        statuses = {wanted} if wanted in ORDER_STATUSES else None
        orders = ctx.shop.orders(ctx.user_id, limit=LIST_LIMIT, statuses=statuses)
        listing = [order_choice(o) for o in orders]
        return {"status": "done", "result": {"user_id": ctx.user_id, "count": len(listing), "orders": listing}}

