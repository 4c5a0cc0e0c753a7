"""The shop order API: its OpenAPI document, reads equal to the demo store's, idempotent writes, refusals.

Against a real `kefu shop serve` process (the HTTP path), compared with the demo store it serves."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient
from realservers import REPO, kefu_command, kefu_env

from app.cli.shop import OPENAPI_PATH, openapi_yaml
from app.settings import Settings
from app.shop import ShopNotFound, ShopRefused
from app.shop.client import HttpShop
from app.shop.server import create_shop_app


def test_the_openapi_document_in_the_repo_is_the_served_contract(shop_server) -> None:
    assert OPENAPI_PATH.read_text(encoding="utf-8") == openapi_yaml(), "run: kefu shop openapi --out " + str(OPENAPI_PATH)
    served = httpx.get(shop_server.url + "/openapi.json", timeout=10).json()
    assert served == yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))
    posts = [path for path, ops in served["paths"].items() if "post" in ops]
    assert len(posts) == 7
    for path in posts:
        names = {p["name"] for p in served["paths"][path]["post"]["parameters"]}
        assert "Idempotency-Key" in names, path


def test_reads_over_http_equal_the_demo_store(shop_server) -> None:
    http, demo = HttpShop(shop_server.url), shop_server.demo
    for case in ("shipped", "price_drop", "return_in_progress", "refunded", "completed_old"):
        order_id = shop_server.cases[case]
        assert http.order(order_id) == demo.order(order_id), case
    listed, expected = http.orders("demo"), demo.orders("demo")
    assert [o["order_id"] for o in listed] == [o["order_id"] for o in expected]
    for got, want in zip(listed, expected, strict=True):
        assert [{k: i[k] for k in want["items"][0]} for i in got["items"]] == want["items"]
    assert {i["category"] for o in listed for i in o["items"]} >= {"fresh", "electronics", "apparel", "books"}
    assert [o["status"] for o in http.orders("demo", statuses=["shipped"], limit=1)] == ["shipped"]
    tracking = demo.order(shop_server.cases["shipped"])["shipment"]["tracking_no"]
    assert http.shipment(tracking) == demo.shipment(tracking)
    assert http.variants("AP-1001") == demo.variants("AP-1001")
    assert http.categories() == demo.categories() and {"fresh", "books"} <= {c["category"] for c in demo.categories()}
    assert http.order("999999999999") is None and http.shipment("SF0000000000000") is None
    assert http.orders("nobody") == []


def test_a_retried_write_is_answered_once_and_never_refunds_twice(shop_server) -> None:
    http, order_id = HttpShop(shop_server.url), shop_server.cases["processing_overdue"]
    first = http.cancel_order(order_id, user_id="demo", key="test-retry-1")
    again = http.cancel_order(order_id, user_id="demo", key="test-retry-1")
    assert first["order_status"] == "cancelled" and first["replayed"] is False
    assert again == {**first, "replayed": True}
    order = shop_server.demo.order(order_id)
    assert order["status"] == "cancelled" and len(order["refunds"]) == 1
    assert len(shop_server.demo.store.action_log(order_id=order_id)) == 1
    with pytest.raises(ShopRefused) as reused:
        http.change_delivery(order_id, user_id="demo", key="test-retry-1", phone="13900001111")
    assert reused.value.reason_code == "idempotency_key_reused"
    with pytest.raises(ShopRefused) as late:  # a new key: the shop re-checks the order's state
        http.cancel_order(order_id, user_id="demo", key="test-retry-2")
    assert late.value.reason_code == "not_cancellable"
    assert len(shop_server.demo.order(order_id)["refunds"]) == 1


def test_writes_need_a_key_a_valid_body_and_the_owner(shop_server) -> None:
    order_id = shop_server.cases["paid"]
    no_key = httpx.post(f"{shop_server.url}/v1/orders/{order_id}/cancel", json={"user_id": "demo"}, timeout=10)
    assert no_key.status_code == 422
    bad_body = httpx.post(f"{shop_server.url}/v1/orders/{order_id}/returns", json={"user_id": "demo", "lines": []},
                          headers={"Idempotency-Key": "k-bad"}, timeout=10)
    assert bad_body.status_code == 422
    with pytest.raises(ShopNotFound):
        HttpShop(shop_server.url).cancel_order(order_id, user_id="u00001", key="k-other-user")
    assert shop_server.demo.order(order_id)["status"] == "paid"


def test_the_api_key_is_required_when_configured(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, demo_users=3, demo_orders=10, shop_api_key="s3cret-token")
    with TestClient(create_shop_app(settings)) as client:
        assert client.get("/v1/users/demo/orders").status_code == 401
        assert client.get("/v1/users/demo/orders", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = client.get("/v1/users/demo/orders", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200 and ok.json()


def test_kefu_orders_reads_the_order_api_with_categories(shop_server, tmp_path) -> None:
    env = kefu_env(data_dir=tmp_path / "kefu", shop_url=shop_server.url)
    proc = subprocess.run(kefu_command("orders", "--user", "demo", "--json"), cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    orders = json.loads(proc.stdout)
    assert [o["order_id"] for o in orders] == [o["order_id"] for o in shop_server.demo.orders("demo")]
    items = [i for o in orders for i in o["items"]]
    assert set(items[0]) >= {"sku", "name", "qty", "unit_price", "category"}
    assert {i["category"] for i in items} >= {"fresh", "electronics", "apparel", "books"}
    assert not (tmp_path / "kefu" / "shop.db").exists(), "with KEFU_SHOP_URL kefu keeps no store of its own"
