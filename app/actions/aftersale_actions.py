"""After-sale write actions: return (7-day no-reason / 15-day defect) and exchange (15 days)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from app.actions.base import ActionContext, WriteAction, refundable_total
from app.actions.errors import NeedSlot, Refused
from app.actions.messages import refund_route, request_status_name, status_name, text
from app.actions.slots import bool_slot, clean_text
from app.store.clock import parse
from app.store.rules import BEFORE_SHIPMENT, RECEIVED, RULES

OPEN_REQUEST = frozenset({"approved", "received", "requested"})
AFTER_SALE_STATUSES = frozenset({"delivered", "completed"})


def days_since(moment: str | None, now: datetime) -> tuple[timedelta, int]:
    """Elapsed time since a stored moment, and the same in whole days (for messages)."""
    elapsed = now - (parse(moment) or now)
    return elapsed, max(elapsed.days, 0)


def refuse_not_received(order: dict[str, Any], what_zh: str, what_en: str) -> None:
    """Raises the refusal for an after-sale request on an order the customer has not received."""
    status = order["status"]
    if status in BEFORE_SHIPMENT:
        raise Refused("not_shipped_cancel_instead")
    if status == "shipped":
        raise Refused("not_delivered_yet", what_zh=what_zh, what_en=what_en)
    if status == "refunded":
        raise Refused("already_refunded", what_zh=what_zh, what_en=what_en)
    if status not in RECEIVED and status != "return_in_progress":
        raise Refused("status_not_allowed", status_zh=status_name(status), status_en=status_name(status, "en"),
                      what_zh=what_zh, what_en=what_en)


def pick_lines(ctx: ActionContext, order: dict[str, Any], allow_all: bool) -> list[dict[str, Any]]:
    """The order lines named by the `product` (or `sku`) slot; all lines or a question otherwise."""
    wanted = clean_text(ctx.slots.get("product") or ctx.slots.get("sku"), 60)
    items = order["items"]
    if wanted:
        matches = [i for i in items if wanted.upper() == i["sku"] or wanted in i["name"] or i["name"] in wanted]
        if not matches:
            raise Refused("product_not_in_order", product=wanted)
        return matches
    if len(items) == 1 or allow_all:
        return items
    raise NeedSlot(["product"], [{"line": i["line"], "sku": i["sku"], "name": i["name"], "attrs": i["attrs"]}
                                 for i in items], "product")


def shipping_payer(order: dict[str, Any], quality: bool) -> dict[str, Any]:
    """Who pays the return shipping, with the sentence that says so."""
    payer = "shop" if quality else ("insurance" if order["has_shipping_insurance"] else "customer")
    cover = RULES.insurance_cover if payer == "insurance" else None
    return {"paid_by": payer, "insurance_cover": cover, "note": text("notes", f"shipping_{payer}", "zh"),
            "note_en": text("notes", f"shipping_{payer}", "en")}


def refundable_by_line(ctx: ActionContext, order: dict[str, Any], lines: list[dict[str, Any]]) -> dict[int, float]:
    """What each returned line still refunds: its price minus price-protection money already paid on it."""
    claimed: dict[int, float] = {}
    for claim in order["price_claims"]:
        claimed[claim["line"]] = claimed.get(claim["line"], 0.0) + float(claim["amount"])
    return {i["line"]: round(max(i["unit_price"] * i["qty"] - claimed.get(i["line"], 0.0), 0.0), 2) for i in lines}


class ActionReturnRequest(WriteAction):
    """Starts a return: 7 days without reason (not fresh/customised/digital), 15 days for defects."""

    action_name = "action_return_request"
    arg_slots = ("order_id", "product", "reason", "quality_issue")
    choice_statuses: ClassVar[frozenset[str] | None] = AFTER_SALE_STATUSES

    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        refuse_not_received(order, "退货", "return it")
        quality = bool_slot(ctx.slots.get("quality_issue"))
        elapsed, days = days_since(order["delivered_at"], ctx.now)
        lines = self._open_lines(order, pick_lines(ctx, order, allow_all=True))
        if elapsed > timedelta(days=RULES.defect_return_days):
            raise Refused("return_window_expired", days=days)
        if not quality and elapsed > timedelta(days=RULES.no_reason_return_days):
            raise Refused("no_reason_window_expired", days=days)
        excluded = [] if quality else [i for i in lines if not i["returnable"]]
        lines = [i for i in lines if i not in excluded]
        if not lines:
            first = excluded[0]
            raise Refused("not_returnable_category", name=first["name"], category_zh=first["category_zh"],
                          category_en=first["category_en"])
        line_refunds = refundable_by_line(ctx, order, lines)
        amount = round(min(sum(line_refunds.values()), refundable_total(order)), 2)
        return {
            "order_id": order["order_id"], "status_before": order["status"], "status_after": "return_in_progress",
            "lines": [{"line": i["line"], "sku": i["sku"], "name": i["name"], "qty": i["qty"],
                       "refund_amount": line_refunds[i["line"]]} for i in lines],
            "excluded": [{"line": i["line"], "name": i["name"], "reason_code": "not_returnable_category"}
                         for i in excluded],
            "quality_issue": quality,
            "reason": clean_text(ctx.slots.get("reason")) or ("质量问题" if quality else "七天无理由"),
            "days_since_delivery": days, "refund_amount": amount,
            "refund": {"amount": amount, **refund_route(order["payment_method"])},
            "refund_starts": text("notes", "refund_after_inspection", "zh"),
            "refund_starts_en": text("notes", "refund_after_inspection", "en"),
            "return_shipping": shipping_payer(order, quality),
        }

    def _open_lines(self, order: dict[str, Any], lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        busy = {a["line"]: a for a in order["after_sales"] if a["status"] in OPEN_REQUEST or a["status"] == "refunded"}
        free = [i for i in lines if i["line"] not in busy]
        if not free:
            request = busy[lines[0]["line"]]
            raise Refused("already_done", "already_returning", what_zh="退货", what_en="return",
                          request_id=request["request_id"], request_status=request_status_name(request["status"]))
        return free

    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any], key: str) -> dict[str, Any]:
        lines = [{"line": line["line"], "refund_amount": line["refund_amount"]} for line in plan["lines"]]
        return ctx.shop.create_return(order["order_id"], user_id=ctx.user_id, key=key, lines=lines,
                                      reason=plan["reason"], quality_issue=plan["quality_issue"],
                                      paid_by=plan["return_shipping"]["paid_by"])
