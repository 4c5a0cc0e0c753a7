"""Money-side write actions: price protection (30 days after payment) and invoices (180 days)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from app.actions.aftersale_actions import days_since
from app.actions.base import ActionContext, WriteAction
from app.actions.errors import NeedSlot, Refused
from app.actions.messages import refund_route, status_name
from app.actions.slots import clean_text, tax_id_slot
from app.store.rules import RULES

PAID_STATES = frozenset({"paid", "processing", "shipped", "delivered", "completed", "return_in_progress"})
PERSONAL_TITLES = frozenset({"个人", "本人", "个人抬头", "personal", "individual", "私人"})


def require_paid(order: dict[str, Any], what_zh: str, what_en: str) -> None:
    """Refuses unless the order is paid and neither cancelled nor refunded."""
    status = order["status"]
    if status == "refunded":
        raise Refused("already_refunded", what_zh=what_zh, what_en=what_en)
    if status not in PAID_STATES or not order["paid_at"]:
        raise Refused("status_not_allowed", status_zh=status_name(status), status_en=status_name(status, "en"),
                      what_zh=what_zh, what_en=what_en)


class ActionPriceProtection(WriteAction):
    """Quotes (check) or claims (execute) the price difference × quantity of items whose price fell."""

    action_name = "action_price_protection"
    choice_statuses: ClassVar[frozenset[str] | None] = PAID_STATES

    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        require_paid(order, "价保", "claim price protection")
        elapsed, days = days_since(order["paid_at"], ctx.now)
        if elapsed > timedelta(days=RULES.price_protection_days):
            raise Refused("price_protection_expired", days=days)
        claimed = {c["line"]: c for c in order["price_claims"]}
        returned = {a["line"] for a in order["after_sales"] if a["kind"] == "return" and a["status"] != "closed"}
        claims, ineligible = [], []
        for item in order["items"]:
            current = item.get("current_price") or {"price": item["unit_price"], "kind": "regular"}
            base = {"line": item["line"], "sku": item["sku"], "name": item["name"], "qty": item["qty"],
                    "paid_price": item["unit_price"], "current_price": current["price"]}
            if item["line"] in claimed:
                ineligible.append({**base, "reason_code": "already_claimed"})
            elif item["line"] in returned:
                ineligible.append({**base, "reason_code": "being_returned"})
            elif current["price"] >= item["unit_price"]:
                ineligible.append({**base, "reason_code": "no_price_drop"})
            elif current["kind"] != "regular":
                ineligible.append({**base, "reason_code": "flash_sale_price"})
            else:
                difference = round(item["unit_price"] - current["price"], 2)
                claims.append({**base, "difference": difference, "amount": round(difference * item["qty"], 2)})
        if not claims:
            self._refuse(order, ineligible, claimed)
        total = round(sum(c["amount"] for c in claims), 2)
        return {"order_id": order["order_id"], "claims": claims, "ineligible": ineligible, "total_amount": total,
                "days_since_payment": days, "window_days": RULES.price_protection_days,
                "refund": {"amount": total, **refund_route(order["payment_method"])}}

    @staticmethod
    def _refuse(order: dict[str, Any], ineligible: list[dict[str, Any]], claimed: dict[int, Any]) -> None:
        flash = [i for i in ineligible if i["reason_code"] == "flash_sale_price"]
        if flash:
            raise Refused("flash_sale_price", name=flash[0]["name"])
        if claimed:
            amount = round(sum(c["amount"] for c in claimed.values()), 2)
            raise Refused("already_done", "price_already_claimed", order_id=order["order_id"], amount=amount)
        raise Refused("no_price_drop")

    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any], key: str) -> dict[str, Any]:
        claims = [{"line": c["line"], "current_price": c["current_price"], "amount": c["amount"]}
                  for c in plan["claims"]]
        return ctx.shop.claim_price_protection(order["order_id"], user_id=ctx.user_id, key=key, claims=claims)


class ActionInvoiceRequest(WriteAction):
    """Issues an electronic VAT invoice (personal or company title); one change allowed."""

    action_name = "action_invoice_request"
    arg_slots = ("order_id", "invoice_title", "tax_id")
    choice_statuses: ClassVar[frozenset[str] | None] = PAID_STATES

    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        require_paid(order, "开发票", "issue an invoice")
        elapsed, _ = days_since(order["paid_at"], ctx.now)
        if elapsed > timedelta(days=RULES.invoice_days):
            raise Refused("invoice_expired")
        title_type, title, tax_id = self._title(ctx)
        issued = [i for i in order["invoices"] if i["status"] == "issued"]
        revision, replaces = 0, None
        if issued:
            current = issued[-1]
            if current["title"] == title and (current["tax_id"] or None) == tax_id:
                raise Refused("already_done", "invoice_already_issued", order_id=order["order_id"], title=title)
            if current["revision"] >= RULES.invoice_changes:
                raise Refused("invoice_change_limit", order_id=order["order_id"])
            revision, replaces = current["revision"] + 1, current["invoice_id"]
        refunded = sum(r["amount"] for r in order["refunds"])
        return {"order_id": order["order_id"], "invoice_type": "电子普通发票",
                "invoice_type_en": "electronic VAT invoice",
                "title_type": title_type, "title": title, "tax_id": tax_id,
                "amount": round(max(order["total"] - refunded, 0.0), 2), "revision": revision, "replaces": replaces,
                "issue_within": "1个工作日", "issue_within_en": "1 working day"}

    @staticmethod
    def _title(ctx: ActionContext) -> tuple[str, str, str | None]:
        title = clean_text(ctx.slots.get("invoice_title"), 100)
        if not title:
            raise NeedSlot(["invoice_title"], [{"title_type": "personal", "title": "个人"},
                                               {"title_type": "company", "title": ""}], "invoice_title")
        if title.lower() in PERSONAL_TITLES:
            return "personal", "个人", None
        tax_id = tax_id_slot(ctx.slots.get("tax_id"))
        if tax_id is None:
            raise NeedSlot(["tax_id"], [], "tax_id")
        return "company", title, tax_id

    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any], key: str) -> dict[str, Any]:
        return ctx.shop.request_invoice(order["order_id"], user_id=ctx.user_id, key=key,
                                        title_type=plan["title_type"], title=plan["title"], tax_id=plan["tax_id"],
                                        amount=plan["amount"], revision=plan["revision"])
