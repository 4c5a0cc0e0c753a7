"""Returns and exchanges: windows, category exclusions, shipping payer, stock, no double requests."""

from __future__ import annotations

from typing import Any

from app.actions.runner import run_action
from app.store import Store


def act(name: str, slots: dict[str, Any], mode: str = "check", user: str = "demo") -> dict[str, Any]:
    return dict(run_action(name, user_id=user, slots=slots, mode=mode))  # type: ignore[arg-type]


def test_return_within_seven_days_proposes_refund_and_insurance(shop: Store) -> None:
    order_id = shop.demo_cases()["delivered_returnable"]
    order = shop.get_order(order_id)
    result = act("action_return_request", {"order_id": order_id})["result"]
    item = order["items"][0]
    assert result["refund_amount"] == round(item["unit_price"] * item["qty"], 2)
    assert result["refund"]["method"] == "alipay" and result["return_shipping"]["paid_by"] == "insurance"
    assert result["return_shipping"]["insurance_cover"] == 12.0 and result["days_since_delivery"] == 3
    assert shop.returns_for(order_id) == []


def test_return_execute_creates_request_once(shop: Store) -> None:
    order_id = shop.demo_cases()["delivered_returnable"]
    done = act("action_return_request", {"order_id": order_id, "reason": "尺码不合适"}, mode="execute")
    assert done["status"] == "done" and len(done["result"]["request_ids"]) == 1
    returns = shop.returns_for(order_id)
    assert len(returns) == 1 and returns[0]["reason"] == "尺码不合适" and returns[0]["status"] == "approved"
    assert shop.order_row(order_id)["status"] == "return_in_progress"
    log = shop.action_log(order_id)
    assert log[0]["before"]["after_sales"] == [] and len(log[0]["after"]["after_sales"]) == 1
    again = act("action_return_request", {"order_id": order_id}, mode="execute")
    assert again["status"] == "refused" and again["reason_code"] == "already_done"
    assert len(shop.returns_for(order_id)) == 1 and len(shop.action_log(order_id)) == 1


def test_fresh_custom_and_digital_need_a_defect(shop: Store) -> None:
    cases = shop.demo_cases()
    for case in ("delivered_fresh", "delivered_custom", "completed_digital"):
        outcome = act("action_return_request", {"order_id": cases[case]}, mode="execute")
        assert outcome["status"] == "refused" and outcome["reason_code"] == "not_returnable_category", case
        assert "质量问题" in outcome["reason"]
    assert shop.returns_for(cases["delivered_fresh"]) == []
    defect = act("action_return_request", {"order_id": cases["delivered_fresh"], "quality_issue": True})
    assert defect["status"] == "proposed" and defect["result"]["return_shipping"]["paid_by"] == "shop"


def test_return_windows(shop: Store) -> None:
    cases = shop.demo_cases()
    ten_days = act("action_return_request", {"order_id": cases["completed_defect_window"]})
    assert ten_days["reason_code"] == "no_reason_window_expired" and "15" in ten_days["reason"]
    defect = act("action_return_request", {"order_id": cases["completed_defect_window"], "quality_issue": "true"})
    assert defect["status"] == "proposed"
    old = act("action_return_request", {"order_id": cases["completed_old"], "quality_issue": True})
    assert old["reason_code"] == "return_window_expired"


def test_return_before_delivery_points_elsewhere(shop: Store) -> None:
    cases = shop.demo_cases()
    assert act("action_return_request", {"order_id": cases["paid"]})["reason_code"] == "not_shipped_cancel_instead"
    assert act("action_return_request", {"order_id": cases["shipped"]})["reason_code"] == "not_delivered_yet"
    assert act("action_return_request", {"order_id": cases["refunded"]})["reason_code"] == "already_refunded"


def test_return_one_item_of_a_multi_item_order(shop: Store) -> None:
    order_id = shop.demo_cases()["delivered_multi"]
    outcome = act("action_return_request", {"order_id": order_id, "product": "防晒霜"})
    assert [line["sku"] for line in outcome["result"]["lines"]] == ["BE-5002"]
    assert outcome["result"]["refund"]["time"] == "实时到账"
    missing = act("action_return_request", {"order_id": order_id, "product": "冰箱"})
    assert missing["reason_code"] == "product_not_in_order"


def test_exchange_size_in_stock(shop: Store) -> None:
    order_id = shop.demo_cases()["delivered_returnable"]
    ask = act("action_exchange_request", {"order_id": order_id})
    assert ask["status"] == "need_slot" and ask["missing"] == ["sku_attr"]
    assert {"attr": "size", "value": "L"} in ask["choices"] and {"attr": "size", "value": "XXL"} not in ask["choices"]
    stock_before = {v["value"]: v["stock"] for v in shop.variants("AP-1001")}
    proposed = act("action_exchange_request", {"order_id": order_id, "sku_attr": "l码"})
    assert proposed["result"]["from_value"] == "M" and proposed["result"]["to_value"] == "L"
    done = act("action_exchange_request", {"order_id": order_id, "sku_attr": "L"}, mode="execute")
    assert done["status"] == "done"
    exchanges = shop.exchanges_for(order_id)
    assert len(exchanges) == 1 and '"L"' in exchanges[0]["target_attr"]
    assert {v["value"]: v["stock"] for v in shop.variants("AP-1001")}["L"] == stock_before["L"] - 1
    again = act("action_exchange_request", {"order_id": order_id, "sku_attr": "L"}, mode="execute")
    assert again["reason_code"] == "already_done" and len(shop.exchanges_for(order_id)) == 1


def test_exchange_refusals(shop: Store) -> None:
    cases = shop.demo_cases()
    order_id = cases["delivered_returnable"]
    assert act("action_exchange_request", {"order_id": order_id, "sku_attr": "XXL"})["reason_code"] == "out_of_stock"
    assert act("action_exchange_request", {"order_id": order_id, "sku_attr": "M"})["reason_code"] == "same_attr"
    assert act("action_exchange_request", {"order_id": order_id, "sku_attr": "紫色"})["reason_code"] == "attr_unavailable"
    no_variant = act("action_exchange_request", {"order_id": cases["delivered_fresh"], "sku_attr": "大份"})
    assert no_variant["reason_code"] == "no_variants"
    late = act("action_exchange_request", {"order_id": cases["completed_old"], "sku_attr": "黑色"})
    assert late["reason_code"] == "exchange_window_expired"
    multi = act("action_exchange_request", {"order_id": cases["delivered_multi"], "sku_attr": "43"})
    assert multi["status"] == "need_slot" and multi["missing"] == ["product"]
    assert shop.exchanges_for(order_id) == []
