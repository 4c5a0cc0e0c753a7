"""Read actions through the in-process rasa-sdk runner, over a small demo store."""

from __future__ import annotations

from typing import Any

from app.actions.runner import run_action
from app.store import Store
from app.store.rules import ORDER_STATUSES

OTHER_USER = "u00001"


def act(name: str, slots: dict[str, Any], user: str = "demo") -> dict[str, Any]:
    return dict(run_action(name, user_id=user, slots=slots))


def test_order_details_of_own_order(shop: Store) -> None:
    order_id = shop.demo_cases()["shipped"]
    outcome = act("action_order_details", {"order_id": order_id})
    assert outcome["status"] == "done" and outcome["kind"] == "read"
    result = outcome["result"]
    assert result["order_id"] == order_id and result["status"] == "shipped" and result["status_zh"] == "已发货"
    assert result["items"][0]["name"] == "智能手环"
    assert result["shipment"]["tracking_no"] == shop.shipment(order_id)["tracking_no"]
    assert "****" in result["phone_masked"]
    assert result["shipment"]["latest"] == shop.shipment(order_id)["events"][-1]


def test_another_users_order_is_refused_without_details(shop: Store) -> None:
    order_id = shop.demo_cases()["shipped"]
    for name in ("action_order_details", "action_track_logistics", "action_refund_status"):
        outcome = act(name, {"order_id": order_id}, user=OTHER_USER)
        assert outcome["status"] == "refused" and outcome["reason_code"] == "not_your_order"
        assert outcome["result"] == {}
        assert "智能手环" not in str(outcome) and "SF" not in outcome["reason"]


def test_unknown_order_is_not_found(shop: Store) -> None:
    outcome = act("action_order_details", {"order_id": "199999999999"})
    assert outcome["status"] == "not_found" and outcome["reason_code"] == "order_not_found"
    assert "199999999999" in outcome["reason"]


def test_missing_order_id_offers_recent_orders(shop: Store) -> None:
    outcome = act("action_order_details", {})
    assert outcome["status"] == "need_slot" and outcome["missing"] == ["order_id"]
    choice = outcome["choices"][0]
    assert set(choice) >= {"order_id", "status", "item", "total"}
    own = {o["order_id"] for o in shop.list_orders("demo")}
    assert {c["order_id"] for c in outcome["choices"]} <= own
    assert outcome["reason"]


def test_missing_identity_is_refused(shop: Store) -> None:
    outcome = act("action_order_details", {"order_id": shop.demo_cases()["paid"]}, user="")
    assert outcome["status"] == "refused" and outcome["reason_code"] == "no_identity"


def test_track_by_order_and_by_tracking_number(shop: Store) -> None:
    order_id = shop.demo_cases()["shipped"]
    by_order = act("action_track_logistics", {"order_id": order_id})["result"]
    assert by_order["shipped"] is True and by_order["eta"] > by_order["shipped_at"][:10]
    times = [e["time"] for e in by_order["events"]]
    assert times == sorted(times, reverse=True) and by_order["latest"] == by_order["events"][0]
    tracking = by_order["tracking_no"]
    by_tracking = act("action_track_logistics", {"tracking_no": tracking.lower()})
    assert by_tracking["status"] == "done" and by_tracking["result"]["order_id"] == order_id
    foreign = act("action_track_logistics", {"tracking_no": tracking}, user=OTHER_USER)
    assert foreign["reason_code"] == "not_your_order"
    assert act("action_track_logistics", {"tracking_no": "SF0000000000001"})["status"] == "not_found"


def test_track_unshipped_order_gives_promised_time(shop: Store) -> None:
    outcome = act("action_track_logistics", {"order_id": shop.demo_cases()["paid"]})
    assert outcome["status"] == "done"
    assert outcome["result"]["shipped"] is False and outcome["result"]["promised_ship_by"]


def test_refund_status_arrived_and_pending(shop: Store) -> None:
    cases = shop.demo_cases()
    arrived = act("action_refund_status", {"order_id": cases["refunded"]})["result"]
    assert arrived["all_arrived"] is True and arrived["refunds"][0]["arrived_at"]
    assert arrived["refunds"][0]["method"] == "alipay" and arrived["refunds"][0]["time"] == "1-3个工作日"
    pending = act("action_refund_status", {"order_id": cases["refund_pending"]})["result"]
    refund = pending["refunds"][0]
    assert refund["status"] == "processing" and refund["expected_by"] and refund["time"] == "3-7个工作日"
    progress = act("action_refund_status", {"order_id": cases["return_in_progress"]})["result"]
    assert progress["has_refund"] is False and progress["pending_returns"]


def test_list_orders_covers_every_status(shop: Store) -> None:
    result = act("action_list_orders", {})["result"]
    assert {o["status"] for o in result["orders"]} == set(ORDER_STATUSES)
    only = act("action_list_orders", {"order_status": "shipped"})["result"]["orders"]
    assert only and {o["status"] for o in only} == {"shipped"}
    assert act("action_list_orders", {}, user="nobody")["result"]["orders"] == []
