"""The exchange write action: same product, another size/colour, within 15 days, in stock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from app.actions.aftersale_actions import (
    AFTER_SALE_STATUSES,
    OPEN_REQUEST,
    days_since,
    pick_lines,
    refuse_not_received,
    shipping_payer,
)
from app.actions.base import ActionContext, WriteAction
from app.actions.errors import NeedSlot, Refused
from app.actions.messages import request_status_name
from app.actions.slots import bool_slot, clean_text
from app.store.rules import RULES


def match_variant(wanted: str, variants: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The variant the customer means: exact (case-insensitive, 码/号 dropped), else a colour prefix."""
    key = wanted.strip().upper().removeprefix("SIZE").strip()
    key = key.removesuffix("码").removesuffix("号").strip()
    for variant in variants:
        if variant["value"].upper() == key:
            return variant
    if key and not key.isdigit():
        for variant in variants:
            if variant["attr"] == "colour" and (variant["value"].startswith(key) or key.startswith(variant["value"])):
                return variant
    return None


def in_stock(variants: list[dict[str, Any]], attr: str | None = None) -> list[str]:
    """Values with stock (of one attribute, or all)."""
    return [v["value"] for v in variants if v["stock"] > 0 and (attr is None or v["attr"] == attr)]


class ActionExchangeRequest(WriteAction):
    """Exchanges one order line for another size or colour of the same product."""

    action_name = "action_exchange_request"
    arg_slots = ("order_id", "product", "sku_attr", "reason", "quality_issue")
    choice_statuses: ClassVar[frozenset[str] | None] = AFTER_SALE_STATUSES

    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        refuse_not_received(order, "换货", "exchange it")
        elapsed, days = days_since(order["delivered_at"], ctx.now)
        if elapsed > timedelta(days=RULES.exchange_days):
            raise Refused("exchange_window_expired", days=days)
        line = pick_lines(ctx, order, allow_all=False)[0]
        busy = [a for a in order["after_sales"] if a["line"] == line["line"] and a["status"] in OPEN_REQUEST]
        if busy:
            kind = busy[0]["kind"]
            raise Refused("already_done", "already_returning", what_zh="换货" if kind == "exchange" else "退货",
                          what_en=kind, request_id=busy[0]["request_id"],
                          request_status=request_status_name(busy[0]["status"]))
        variants = ctx.shop.variants(line["sku"])
        if not variants:
            raise Refused("no_variants", name=line["name"])
        wanted = clean_text(ctx.slots.get("sku_attr"), 20)
        if not wanted:
            raise NeedSlot(["sku_attr"], [{"attr": v["attr"], "value": v["value"]} for v in variants if v["stock"] > 0],
                           "sku_attr")
        variant = match_variant(wanted, variants)
        options = "、".join(in_stock(variants)) or "无"
        if variant is None:
            raise Refused("attr_unavailable", name=line["name"], wanted=wanted, options=options)
        attr, value = variant["attr"], variant["value"]
        if line["attrs"].get(attr) == value:
            raise Refused("same_attr", wanted=value, options="、".join(in_stock(variants, attr)))
        if variant["stock"] <= 0:
            raise Refused("out_of_stock", name=line["name"], wanted=value, options="、".join(in_stock(variants, attr)))
        quality = bool_slot(ctx.slots.get("quality_issue"))
        return {"order_id": order["order_id"], "line": line["line"], "sku": line["sku"], "name": line["name"],
                "attr": attr, "from_value": line["attrs"].get(attr), "to_value": value,
                "from_attrs": line["attrs"], "to_attrs": {**line["attrs"], attr: value}, "days_since_delivery": days,
                "quality_issue": quality, "reason": clean_text(ctx.slots.get("reason")) or "换规格",
                "return_shipping": shipping_payer(order, quality)}

    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any], key: str) -> dict[str, Any]:
        return ctx.shop.create_exchange(order["order_id"], user_id=ctx.user_id, key=key, line=plan["line"],
                                        attr=plan["attr"], value=plan["to_value"], to_attrs=plan["to_attrs"],
                                        reason=plan["reason"], quality_issue=plan["quality_issue"],
                                        paid_by=plan["return_shipping"]["paid_by"])
