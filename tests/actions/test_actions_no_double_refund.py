"""Money is refunded once: price protection already paid is taken off a later return or cancellation."""

from __future__ import annotations

from app.actions.runner import run_action


def test_a_return_after_price_protection_refunds_only_what_is_left(shop):
    order = shop.demo_cases()["price_drop"]
    claim = run_action("action_price_protection", user_id="demo", slots={"order_id": order}, mode="execute")
    assert claim["status"] == "done"
    paid_back = claim["result"]["total_amount"]
    proposal = run_action("action_return_request", user_id="demo", slots={"order_id": order})
    full = sum(i["unit_price"] * i["qty"] for i in shop.get_order(order)["items"])
    assert proposal["result"]["refund_amount"] == round(full - paid_back, 2)
    done = run_action("action_return_request", user_id="demo", slots={"order_id": order}, mode="execute")
    refunds = shop.refunds_for(order)
    assert done["status"] == "done"
    assert round(sum(r["amount"] for r in refunds), 2) <= shop.get_order(order)["total"]


def test_a_cancellation_after_an_earlier_refund_refunds_the_rest(shop):
    order = shop.demo_cases()["paid"]
    total = shop.get_order(order)["total"]
    method = shop.get_order(order)["payment_method"]
    with shop.transaction():  # e.g. a price-protection refund paid before the cancellation
        shop.add_refund(order, "price_protection", 20.0, method, "arrived", None, None)
    cancel = run_action("action_cancel_order", user_id="demo", slots={"order_id": order}, mode="execute")
    assert cancel["status"] == "done"
    assert cancel["result"]["refund"]["amount"] == round(total - 20.0, 2)
    assert round(sum(r["amount"] for r in shop.refunds_for(order)), 2) == total
