"""Conversations whose actions go to the shop's order API over HTTP (KEFU_SHOP_URL) — a real `kefu shop serve`,
behind a fault proxy for the outages: the customer is told, and a write is never assumed done."""

from __future__ import annotations

from pathlib import Path

import pytest
from realservers import free_port

from app.service import ChatService
from app.settings import Settings


def _service(tmp_path: Path, shop_url: str) -> ChatService:
    return ChatService(Settings(data_dir=tmp_path / "kefu", shop_url=shop_url, shop_timeout_s=1.0,
                                shop_read_retries=1))


def _cancel(service: ChatService, session: str, order_id: str) -> dict:
    proposed = service.run_turn(session, "demo", f"帮我取消订单{order_id}")
    assert proposed["actions"][-1]["status"] == "proposed", proposed["reply"]
    return service.run_turn(session, "demo", "确认")


def test_cancel_through_the_chat_then_read_the_order_back(tmp_path: Path, shop_server) -> None:
    order_id = shop_server.cases["paid"]
    done = _cancel(_service(tmp_path, shop_server.url), "http-1", order_id)
    action = done["actions"][-1]
    assert action["status"] == "done" and action["result"]["order_status"] == "cancelled"
    assert "已为您办理" in done["reply"]
    order = shop_server.demo.order(order_id)
    assert order["status"] == "cancelled" and len(order["refunds"]) == 1
    assert order["refunds"][0]["amount"] == action["result"]["refund"]["amount"]


def test_a_write_that_times_out_is_not_assumed_done(tmp_path: Path, shop_server, proxy) -> None:
    order_id = shop_server.cases["processing"]
    service = _service(tmp_path, proxy.url)
    service.run_turn("http-2", "demo", f"帮我取消订单{order_id}")
    proxy.methods, proxy.mode = {"POST"}, "stall_after"  # the shop applies it; its answer comes too late
    unclear = service.run_turn("http-2", "demo", "确认")
    action = unclear["actions"][-1]
    assert action["status"] == "refused" and action["reason_code"] == "shop_write_unconfirmed"
    assert "还不能确认已经办成" in unclear["reply"] and "已为您办理" not in unclear["reply"]
    posts = [s for s in proxy.seen if s[0] == "POST"]
    assert len(posts) == 1, "a write is never retried by the client"
    order = shop_server.demo.order(order_id)
    assert order["status"] == "cancelled" and len(order["refunds"]) == 1
    assert unclear["state"]["pending_action"], "the unconfirmed write stays proposed"
    proxy.mode = "pass"
    again = service.run_turn("http-2", "demo", "确认")  # re-planned on a fresh read: it was done after all
    action = again["actions"][-1]
    assert action["reason_code"] == "already_done" and "已经取消" in again["reply"], again["reply"]
    assert again["state"]["pending_action"] is None
    assert len(shop_server.demo.order(order_id)["refunds"]) == 1, "the retry never refunds twice"


def test_a_write_answered_with_5xx_is_not_assumed_done(tmp_path: Path, shop_server, proxy) -> None:
    order_id = shop_server.cases["pending_payment"]
    service = _service(tmp_path, proxy.url)
    service.run_turn("http-3", "demo", f"帮我取消订单{order_id}")
    proxy.methods, proxy.mode = {"POST"}, "fail"
    failed = service.run_turn("http-3", "demo", "确认")
    assert failed["actions"][-1]["reason_code"] == "shop_write_unconfirmed"
    assert "已为您办理" not in failed["reply"]
    assert shop_server.demo.order(order_id)["status"] == "pending_payment"
    proxy.mode = "pass"
    done = service.run_turn("http-3", "demo", "确认")
    assert done["actions"][-1]["status"] == "done" and done["actions"][-1]["result"]["replayed"] is False
    assert shop_server.demo.order(order_id)["status"] == "cancelled"


@pytest.mark.parametrize("mode", ["fail", "stall_before"])
def test_reads_are_retried_then_the_customer_is_told(tmp_path: Path, shop_server, proxy, mode: str) -> None:
    proxy.methods, proxy.mode = {"GET"}, mode
    turn = _service(tmp_path, proxy.url).run_turn("http-4", "demo", f"订单{shop_server.cases['shipped']}到哪了")
    assert turn["actions"][-1]["reason_code"] == "shop_unavailable"
    assert "订单系统暂时没有响应" in turn["reply"]
    # the pilot's read of the order (a try and one retry, shop_read_retries=1), then the action's; the pilot
    # does not try the unreachable order again after the action
    assert len([s for s in proxy.seen if s[0] == "GET"]) == 4


def test_an_unreachable_order_api_is_said_so(tmp_path: Path, shop_server) -> None:
    turn = _service(tmp_path, f"http://127.0.0.1:{free_port()}").run_turn("http-5", "demo", "帮我取消订单" + shop_server.cases["paid"])
    assert turn["actions"][-1]["reason_code"] == "shop_unavailable"
    assert "订单系统暂时没有响应" in turn["reply"]
