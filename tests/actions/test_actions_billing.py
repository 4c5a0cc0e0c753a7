"""Price protection (quotes checked against the store) and invoices (titles, tax id, one change)."""

from __future__ import annotations

from typing import Any

from app.actions.runner import run_action
from app.store import Store


def act(name: str, slots: dict[str, Any], mode: str = "check", user: str = "demo") -> dict[str, Any]:
    return dict(run_action(name, user_id=user, slots=slots, mode=mode))  # type: ignore[arg-type]


def test_price_protection_quote_matches_store_prices(shop: Store) -> None:
    order_id = shop.demo_cases()["price_drop"]
    result = act("action_price_protection", {"order_id": order_id})["result"]
    expected = 0.0
    for item in shop.get_order(order_id)["items"]:
        current = shop.current_price(item["sku"])["price"]
        claim = next(c for c in result["claims"] if c["sku"] == item["sku"])
        assert claim["current_price"] == current and claim["paid_price"] == item["unit_price"]
        assert claim["amount"] == round((item["unit_price"] - current) * item["qty"], 2)
        expected += claim["amount"]
    assert result["total_amount"] == round(expected, 2) == 90.0
    assert result["refund"]["method"] == "bank_card" and result["refund"]["time"] == "3-7个工作日"
    assert shop.price_claims_for(order_id) == [] and shop.refunds_for(order_id) == []


def test_price_protection_claim_once(shop: Store) -> None:
    order_id = shop.demo_cases()["price_drop"]
    done = act("action_price_protection", {"order_id": order_id}, mode="execute")
    assert done["status"] == "done" and len(done["result"]["claim_ids"]) == 2
    assert [r["amount"] for r in shop.refunds_for(order_id)] == [90.0]
    again = act("action_price_protection", {"order_id": order_id}, mode="execute")
    assert again["status"] == "refused" and again["reason_code"] == "already_done"
    assert len(shop.price_claims_for(order_id)) == 2 and len(shop.refunds_for(order_id)) == 1


def test_price_protection_refusals(shop: Store) -> None:
    cases = shop.demo_cases()
    assert act("action_price_protection", {"order_id": cases["flash_sale_drop"]})["reason_code"] == "flash_sale_price"
    assert act("action_price_protection", {"order_id": cases["shipped"]})["reason_code"] == "no_price_drop"
    assert act("action_price_protection", {"order_id": cases["pending_payment"]})["reason_code"] == "status_not_allowed"
    assert act("action_price_protection", {"order_id": cases["refunded"]})["reason_code"] == "already_refunded"


def test_company_invoice_needs_a_valid_tax_id(shop: Store) -> None:
    order_id = shop.demo_cases()["shipped"]
    need = act("action_invoice_request", {"order_id": order_id, "invoice_title": "杭州示例科技有限公司"})
    assert need["status"] == "need_slot" and need["missing"] == ["tax_id"]
    bad = act("action_invoice_request", {"order_id": order_id, "invoice_title": "杭州示例科技有限公司", "tax_id": "123"})
    assert bad["status"] == "refused" and bad["reason_code"] == "invalid_tax_id"
    ask = act("action_invoice_request", {"order_id": order_id})
    assert ask["missing"] == ["invoice_title"]
    assert shop.invoices_for(order_id) == []


def test_invoice_issue_then_one_change(shop: Store) -> None:
    order_id = shop.demo_cases()["shipped"]
    personal = act("action_invoice_request", {"order_id": order_id, "invoice_title": "个人"}, mode="execute")
    assert personal["status"] == "done" and personal["result"]["title_type"] == "personal"
    same = act("action_invoice_request", {"order_id": order_id, "invoice_title": "个人"}, mode="execute")
    assert same["reason_code"] == "already_done"
    company = {"order_id": order_id, "invoice_title": "杭州示例科技有限公司", "tax_id": "91330106mA2aXXXX1b"}
    changed = act("action_invoice_request", company, mode="execute")
    assert changed["status"] == "done" and changed["result"]["revision"] == 1
    invoices = shop.invoices_for(order_id)
    assert [i["status"] for i in invoices] == ["voided", "issued"] and invoices[1]["tax_id"] == "91330106MA2AXXXX1B"
    third = act("action_invoice_request", {"order_id": order_id, "invoice_title": "个人"}, mode="execute")
    assert third["reason_code"] == "invoice_change_limit" and len(shop.invoices_for(order_id)) == 2


def test_invoice_refused_for_unpaid_order(shop: Store) -> None:
    outcome = act("action_invoice_request", {"order_id": shop.demo_cases()["pending_payment"], "invoice_title": "个人"})
    assert outcome["status"] == "refused" and outcome["reason_code"] == "status_not_allowed"


def test_price_protection_skips_items_being_returned(shop: Store) -> None:
    order_id = shop.demo_cases()["price_drop"]
    returned = run_action("action_return_request", user_id="demo", slots={"order_id": order_id, "product": "保温杯"},
                          mode="execute")
    assert returned["status"] == "done"
    result = act("action_price_protection", {"order_id": order_id})["result"]
    assert [c["sku"] for c in result["claims"]] == ["EL-3001"] and result["total_amount"] == 50.0
    assert [i["reason_code"] for i in result["ineligible"]] == ["being_returned"]
