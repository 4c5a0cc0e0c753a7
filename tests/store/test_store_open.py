"""Opening the store: first-use creation (also when processes race), reads, and `kefu orders`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.store import Store
from app.store.rules import ORDER_STATUSES

REPO = Path(__file__).resolve().parents[2]


def _env(data_dir: Path, users: str = "20", orders: str = "150") -> dict[str, str]:
    env = dict(os.environ)
    env.update(KEFU_DATA_DIR=str(data_dir), KEFU_DEMO_USERS=users, KEFU_DEMO_ORDERS=orders)
    return env


def test_two_processes_racing_create_one_valid_store(tmp_path: Path) -> None:
    code = ("from app.settings import get_settings; from app.store import ensure_demo_store; "
            "print(sum(ensure_demo_store(get_settings()).counts().values()))")
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=_env(tmp_path), text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    totals = {out.strip() for out, _ in outputs}
    assert len(totals) == 1
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_reads_are_parameterised_and_filtered(shop: Store) -> None:
    assert shop.get_order("1' OR '1'='1") is None
    assert shop.list_orders("demo' OR '1'='1") == []
    recent = shop.recent_orders("demo", limit=3)
    assert len(recent) == 3 and recent[0]["created_at"] >= recent[-1]["created_at"]
    shipped = shop.recent_orders("demo", limit=10, statuses={"shipped"})
    assert shipped and all(o["status"] == "shipped" for o in shipped)
    assert shop.action_log() == []


def test_shipment_by_tracking_finds_the_order(shop: Store) -> None:
    order_id = shop.demo_cases()["shipped"]
    tracking = shop.shipment(order_id)["tracking_no"]
    assert shop.shipment_by_tracking(tracking)["order_id"] == order_id
    assert shop.shipment_by_tracking("SF0000000000000") is None


def test_kefu_orders_lists_every_status_on_a_fresh_data_dir(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "app", "orders", "--user", "demo", "--json"], check=False, cwd=REPO,
                          env=_env(tmp_path / "fresh"), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    orders = json.loads(proc.stdout)
    assert {o["status"] for o in orders} == set(ORDER_STATUSES)
    assert set(orders[0]) >= {"order_id", "status", "items", "total", "payment_method", "created_at"}
    assert orders[0]["items"][0]["name"]


def test_kefu_orders_unknown_and_bad_users(shop: Store, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["orders", "--user", "nobody'; DROP TABLE orders;--", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    for bad in ("", "   ", "x" * 500, "a\x07b"):
        assert main(["orders", "--user", bad, "--json"]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
        assert "Traceback" not in captured.err
    assert shop.counts()["orders"] > 0


def test_kefu_orders_cases_names_demo_orders(shop: Store, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["orders", "--user", "demo", "--cases", "--json"]) == 0
    cases = {c["case"]: c["order_id"] for c in json.loads(capsys.readouterr().out)}
    assert {"shipped", "delivered_fresh", "price_drop", "gift_card", "refunded", "return_in_progress"} <= set(cases)
    assert main(["orders", "--user", "demo", "--json"]) == 0
    assert set(cases.values()) <= {o["order_id"] for o in json.loads(capsys.readouterr().out)}
    assert main(["orders", "--user", "demo"]) == 0
    assert "shipped" in capsys.readouterr().out
