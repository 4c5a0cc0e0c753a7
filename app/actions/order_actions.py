"""Write actions on an order before it ships: cancel, change address/phone, urge shipment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from app.actions.base import ActionContext, WriteAction, refundable_total
from app.actions.errors import NeedSlot, Refused
from app.actions.messages import refund_route, status_name
from app.actions.read_actions import promised_ship_by
from app.actions.slots import address_slot, phone_slot
from app.store.clock import fmt, parse
from app.store.rules import BEFORE_SHIPMENT, RECEIVED, RULES


def refuse_by_status(order: dict[str, Any], what_zh: str, what_en: str) -> Refused:
    """The refusal for an order whose status does not allow the request."""
    status = order["status"]
    if status == "shipped":
        ship = order.get("shipment") or {}
        return Refused("already_shipped", shipped_at=order["shipped_at"], carrier=ship.get("carrier", ""),
                       tracking_no=ship.get("tracking_no", ""))
    if status in RECEIVED:
        return Refused("already_delivered")
    return Refused("status_not_allowed", status_zh=status_name(status), status_en=status_name(status, "en"),
                   what_zh=what_zh, what_en=what_en)


class ActionCancelOrder(WriteAction):
    """Cancels an order before shipment; a paid order is refunded to its payment method."""

    action_name = "action_cancel_order"
    choice_statuses: ClassVar[frozenset[str] | None] = BEFORE_SHIPMENT

    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        if order["status"] == "cancelled":
            refunds = order["refunds"]
            note = refund_route(refunds[-1]["method"]) if refunds else None
            raise Refused("already_done", "already_cancelled", order_id=order["order_id"],
                          refund_note=note["text"] if note else "", refund_note_en=note["text_en"] if note else "")
        if order["status"] not in BEFORE_SHIPMENT:
            raise refuse_by_status(order, "取消", "cancel it")
        refund = None
        if order["paid_at"]:
            refund = {"amount": refundable_total(order), **refund_route(order["payment_method"])}
        return {"order_id": order["order_id"], "status_before": order["status"], "status_after": "cancelled",
                "items": [{"name": i["name"], "qty": i["qty"]} for i in order["items"]], "total": order["total"],
                "refund": refund}

    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any], key: str) -> dict[str, Any]:
        return ctx.shop.cancel_order(order["order_id"], user_id=ctx.user_id, key=key)


class ActionModifyOrder(WriteAction):
    """Changes the delivery address and/or phone of an order that has not shipped."""

    action_name = "action_modify_order"
    arg_slots = ("order_id", "address", "phone")
    choice_statuses: ClassVar[frozenset[str] | None] = BEFORE_SHIPMENT

    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        if order["status"] not in BEFORE_SHIPMENT:
            if order["status"] in ("shipped", *RECEIVED):
                raise Refused("modify_after_shipment")
            raise refuse_by_status(order, "修改收货信息", "change the delivery details")
        address, phone = address_slot(ctx.slots.get("address")), phone_slot(ctx.slots.get("phone"))
        if address is None and phone is None:
            raise NeedSlot(["address", "phone"], [], "address_or_phone")
        changes = {}
        if address is not None and address != order["address"]:
            changes["address"] = {"from": order["address"], "to": address}
        if phone is not None and phone != order["phone"]:
            changes["phone"] = {"from": order["phone"], "to": phone}
        if not changes:
            raise Refused("already_done", "already_modified", order_id=order["order_id"])
        return {"order_id": order["order_id"], "status": order["status"], "changes": changes}

    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any], key: str) -> dict[str, Any]:
        changes = {k: v["to"] for k, v in plan["changes"].items()}
        return ctx.shop.change_delivery(order["order_id"], user_id=ctx.user_id, key=key, **changes)


class ActionUrgeShipment(WriteAction):
    """Logs an urge-shipment request and answers with the promised shipping time (no confirmation)."""

    action_name = "action_urge_shipment"
    needs_confirmation = False
    choice_statuses: ClassVar[frozenset[str] | None] = frozenset({"paid", "processing"})
    repeat_window = timedelta(hours=24)

    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        if order["status"] not in ("paid", "processing"):
            raise refuse_by_status(order, "催发货", "hurry its shipment")
        recent = [u for u in order["urges"]
                  if (parse(u["created_at"]) or ctx.now) > ctx.now - self.repeat_window]
        if recent:
            raise Refused("already_done", "already_urged", urged_at=recent[-1]["created_at"],
                          promised_ship_by=recent[-1]["promised_ship_by"])
        promised = promised_ship_by(order) or fmt(ctx.now + timedelta(hours=RULES.ship_within_hours))
        overdue = (parse(promised) or ctx.now) < ctx.now
        if overdue:
            promised = fmt(ctx.now + timedelta(hours=24))
        return {"order_id": order["order_id"], "status": order["status"], "paid_at": order["paid_at"],
                "promised_ship_by": promised, "overdue": overdue,
                "previous_urges": len(order["urges"])}

    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any], key: str) -> dict[str, Any]:
        return ctx.shop.urge_shipment(order["order_id"], user_id=ctx.user_id, key=key,
                                      promised_ship_by=plan["promised_ship_by"])

