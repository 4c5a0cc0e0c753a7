"""The demo store generator: every status for `demo`, the scripted cases, consistency, determinism."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from app.store import Store, StoreError, create_demo_store, open_store
from app.store.rules import ORDER_STATUSES

NOW = datetime(2026, 6, 15, 12, 0, 0)


def test_demo_has_an_order_in_every_status(shop: Store) -> None:
    statuses = {o["status"] for o in shop.list_orders("demo")}
    assert statuses == set(ORDER_STATUSES)


def test_demo_cases_point_at_demo_orders_with_the_promised_facts(shop: Store) -> None:
    cases = shop.demo_cases()
    for order_id in cases.values():
        assert shop.order_owner(order_id) == "demo"
    fresh = shop.get_order(cases["delivered_fresh"])
    assert fresh["items"][0]["category"] == "fresh" and fresh["items"][0]["returnable"] is False
    assert shop.get_order(cases["gift_card"])["payment_method"] == "gift_card"
    refunded = shop.refunds_for(cases["refunded"])
    assert refunded and refunded[0]["status"] == "arrived" and refunded[0]["arrived_at"]
    assert shop.returns_for(cases["return_in_progress"])[0]["status"] == "approved"
    shipped = shop.get_order(cases["shipped"])["shipment"]
    assert shipped["events"] and shipped["delivered_at"] is None
    old = shop.get_order(cases["completed_old"])
    assert (datetime.fromisoformat(shop.order_row(cases["paid"])["created_at"])
            - datetime.fromisoformat(old["delivered_at"])).days >= 19


def test_price_drop_case_has_lower_current_prices(shop: Store) -> None:
    order = shop.get_order(shop.demo_cases()["price_drop"])
    for item in order["items"]:
        current = shop.current_price(item["sku"])
        assert current["kind"] == "regular" and current["price"] < item["unit_price"]
    flash = shop.get_order(shop.demo_cases()["flash_sale_drop"])["items"][0]
    assert shop.current_price(flash["sku"])["kind"] == "flash_sale"


def test_every_order_has_a_consistent_timeline_and_tracking(shop: Store) -> None:
    users = ["demo"] + [f"u{n:05d}" for n in range(1, 13)]
    seen = 0
    for user in users:
        for order in shop.list_orders(user):
            seen += 1
            assert re.fullmatch(r"\d{12}", order["order_id"])
            times = [order[k] for k in ("created_at", "paid_at", "shipped_at", "delivered_at") if order[k]]
            assert times == sorted(times)
            shipment = shop.shipment(order["order_id"])
            if order["status"] in ("shipped", "delivered", "completed", "return_in_progress", "refunded"):
                assert shipment and re.fullmatch(r"(SF|JD|YT|ZTO)\d{12,13}", shipment["tracking_no"])
                event_times = [e["time"] for e in shipment["events"]]
                assert event_times == sorted(event_times)
            if order["status"] in ("pending_payment", "paid", "processing"):
                assert shipment is None
    assert seen >= 80


def _dump(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT * FROM orders ORDER BY order_id").fetchall()
    rows += conn.execute("SELECT * FROM order_items ORDER BY order_id, line").fetchall()
    rows += conn.execute("SELECT * FROM shipment_events ORDER BY order_id, time").fetchall()
    conn.close()
    return rows


def test_generation_is_deterministic_for_a_seed_and_now(tmp_path: Path) -> None:
    for name, seed in (("a.db", 7), ("b.db", 7), ("c.db", 8)):
        create_demo_store(tmp_path / name, seed=seed, n_users=10, n_orders=50, now=NOW)
    assert _dump(tmp_path / "a.db") == _dump(tmp_path / "b.db")
    assert _dump(tmp_path / "a.db") != _dump(tmp_path / "c.db")


def test_store_is_wal_and_reports_counts(tmp_path: Path) -> None:
    report = create_demo_store(tmp_path / "shop.db", seed=1, n_users=5, n_orders=30, now=NOW)
    assert report["counts"]["orders"] == 30 + len(open_store(tmp_path / "shop.db").demo_cases())
    conn = sqlite3.connect(tmp_path / "shop.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_opening_a_missing_or_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path / "absent.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store(junk)
