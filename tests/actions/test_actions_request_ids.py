"""A confirmed write reaches the shop under the id of its proposal (session, turn, action): the same id on
every confirmation and replay, so the shop's idempotency key applies it at most once."""

from __future__ import annotations

from app.actions.runner import run_action
from app.service import ChatService
from app.settings import get_settings
from app.store import Store


def test_a_confirmed_write_carries_its_proposals_id(shop: Store) -> None:
    order_id = shop.demo_cases()["paid"]
    service = ChatService(get_settings())
    proposed = service.run_turn("rid-1", "demo", f"帮我取消订单{order_id}")
    turn = proposed["state"]["pending_action"]["proposed_turn"]
    assert service.run_turn("rid-1", "demo", "确认")["actions"][-1]["status"] == "done"
    kept = shop.remembered(f"rid-1:{turn}:action_cancel_order")
    assert kept is not None and kept["operation"] == "cancel_order"


def test_the_same_request_id_never_applies_a_write_twice(shop: Store) -> None:
    order_id = shop.demo_cases()["paid"]
    slots = {"order_id": order_id, "address": "上海市浦东新区世纪大道200号9楼"}
    first = run_action("action_modify_order", user_id="demo", slots=slots, mode="execute", request_id="rid-2:1:m")
    back = run_action("action_modify_order", user_id="demo", slots={**slots, "address": shop.order_row(order_id)
                      ["address"].replace("200号9楼", "100号8楼")}, mode="execute", request_id="rid-2:2:m")
    assert first["status"] == back["status"] == "done"
    again = run_action("action_modify_order", user_id="demo", slots=slots, mode="execute", request_id="rid-2:1:m")
    assert again["status"] == "done" and again["result"]["replayed"] is True  # answered, not applied again
    assert shop.order_row(order_id)["address"] == "上海市浦东新区世纪大道100号8楼"
    assert len(shop.action_log(order_id=order_id)) == 2
