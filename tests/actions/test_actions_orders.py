"""Cancel, modify and urge: rules, check mode writes nothing, execute is audited and not repeated."""

from __future__ import annotations

from typing import Any

from app.actions.runner import run_action
from app.store import Store


def act(name: str, slots: dict[str, Any], mode: str = "check", user: str = "demo") -> dict[str, Any]:
    return dict(run_action(name, user_id=user, slots=slots, mode=mode))  # type: ignore[arg-type]


def test_cancel_before_shipment_check_writes_nothing_then_execute_once(shop: Store) -> None:
    order_id = shop.demo_cases()["paid"]
    before = shop.snapshot(order_id)
    proposed = act("action_cancel_order", {"order_id": order_id})
    assert proposed["status"] == "proposed" and proposed["needs_confirmation"] is True
    assert proposed["result"]["refund"]["amount"] == before["order"]["total"]
    assert proposed["result"]["refund"]["method"] == "wechat" and proposed["result"]["refund"]["time"] == "1-3个工作日"
    assert shop.snapshot(order_id) == before and shop.action_log() == []

    done = act("action_cancel_order", {"order_id": order_id}, mode="execute")
    assert done["status"] == "done" and done["result"]["log_id"]
    assert shop.order_row(order_id)["status"] == "cancelled"
    assert shop.refunds_for(order_id)[0]["amount"] == before["order"]["total"]
    log = shop.action_log(order_id)
    assert len(log) == 1 and log[0]["action"] == "action_cancel_order" and log[0]["user_id"] == "demo"
    assert log[0]["before"]["order"]["status"] == "paid" and log[0]["after"]["order"]["status"] == "cancelled"
    assert log[0]["before"]["refunds"] == [] and len(log[0]["after"]["refunds"]) == 1

    again = act("action_cancel_order", {"order_id": order_id}, mode="execute")
    assert again["status"] == "refused" and again["reason_code"] == "already_done"
    assert len(shop.refunds_for(order_id)) == 1 and len(shop.action_log(order_id)) == 1


def test_cancel_unpaid_order_has_no_refund(shop: Store) -> None:
    order_id = next(o["order_id"] for o in shop.list_orders("demo") if o["status"] == "pending_payment")
    done = act("action_cancel_order", {"order_id": order_id}, mode="execute")
    assert done["status"] == "done" and done["result"]["refund"] is None
    assert shop.refunds_for(order_id) == []


def test_cancel_after_shipment_or_delivery_is_refused(shop: Store) -> None:
    cases = shop.demo_cases()
    shipped = act("action_cancel_order", {"order_id": cases["shipped"]}, mode="execute")
    assert shipped["status"] == "refused" and shipped["reason_code"] == "already_shipped"
    assert "拒收" in shipped["reason"] and shipped["reason_en"]
    delivered = act("action_cancel_order", {"order_id": cases["delivered_returnable"]})
    assert delivered["reason_code"] == "already_delivered"
    assert shop.order_row(cases["shipped"])["status"] == "shipped" and shop.action_log() == []


def test_cancel_choices_are_cancellable_orders(shop: Store) -> None:
    outcome = act("action_cancel_order", {})
    assert outcome["status"] == "need_slot"
    assert {c["status"] for c in outcome["choices"]} <= {"pending_payment", "paid", "processing"}


def test_other_users_order_is_refused_and_store_unchanged(shop: Store) -> None:
    order_id = shop.demo_cases()["paid"]
    before = shop.snapshot(order_id)
    for name, slots in (("action_cancel_order", {}), ("action_modify_order", {"phone": "13912345678"}),
                        ("action_urge_shipment", {})):
        outcome = act(name, {"order_id": order_id, **slots}, mode="execute", user="u00002")
        assert outcome["status"] == "refused" and outcome["reason_code"] == "not_your_order"
    assert shop.snapshot(order_id) == before and shop.action_log() == []


def test_modify_address_and_phone_before_shipment(shop: Store) -> None:
    order_id = shop.demo_cases()["processing"]
    new_address = "北京市海淀区中关村大街1号2单元301"
    proposed = act("action_modify_order", {"order_id": order_id, "address": new_address, "phone": "139 1234 5678"})
    assert proposed["status"] == "proposed"
    assert proposed["result"]["changes"]["phone"] == {"from": "13800138000", "to": "13912345678"}
    done = act("action_modify_order", {"order_id": order_id, "address": new_address, "phone": "13912345678"},
               mode="execute")
    assert done["status"] == "done"
    row = shop.order_row(order_id)
    assert row["address"] == new_address and row["phone"] == "13912345678"
    log = shop.action_log(order_id)[0]
    assert log["before"]["order"]["address"] != new_address and log["after"]["order"]["address"] == new_address
    again = act("action_modify_order", {"order_id": order_id, "address": new_address}, mode="execute")
    assert again["reason_code"] == "already_done" and len(shop.action_log(order_id)) == 1


def test_modify_after_shipment_is_refused(shop: Store) -> None:
    for case in ("shipped", "delivered_returnable"):
        outcome = act("action_modify_order", {"order_id": shop.demo_cases()[case], "address": "上海市徐汇区漕溪北路1号"})
        assert outcome["status"] == "refused" and outcome["reason_code"] == "modify_after_shipment"


def test_modify_needs_a_valid_value(shop: Store) -> None:
    order_id = shop.demo_cases()["paid"]
    assert act("action_modify_order", {"order_id": order_id})["missing"] == ["address", "phone"]
    assert act("action_modify_order", {"order_id": order_id, "phone": "12345"})["reason_code"] == "invalid_phone"
    huge = act("action_modify_order", {"order_id": order_id, "address": "路" * 100_000})
    assert huge["reason_code"] == "invalid_address"


def test_urge_is_logged_once_without_confirmation(shop: Store) -> None:
    order_id = shop.demo_cases()["processing_overdue"]
    proposed = act("action_urge_shipment", {"order_id": order_id})
    assert proposed["status"] == "proposed" and proposed["needs_confirmation"] is False
    assert proposed["result"]["overdue"] is True
    done = act("action_urge_shipment", {"order_id": order_id}, mode="execute")
    assert done["status"] == "done" and len(shop.urges_for(order_id)) == 1
    again = act("action_urge_shipment", {"order_id": order_id}, mode="execute")
    assert again["reason_code"] == "already_done" and done["result"]["promised_ship_by"] in again["reason"]
    assert len(shop.urges_for(order_id)) == 1
    in_time = act("action_urge_shipment", {"order_id": shop.demo_cases()["processing"]})["result"]
    assert in_time["overdue"] is False
    assert act("action_urge_shipment", {"order_id": shop.demo_cases()["shipped"]})["reason_code"] == "already_shipped"
