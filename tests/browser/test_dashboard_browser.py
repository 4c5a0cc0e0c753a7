"""The KPI dashboard in headless Chromium: after real conversations (a split pilot on books, fresh on humans,
ratings), every chart has drawn the figures /api/kpis answers; a screenshot goes to out/dashboard.png."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.settings import Settings
from app.store import ensure_demo_store
from graph.escalation import shopper_bucket

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OUT = Path(__file__).resolve().parents[2] / "out"
CHARTS = ("chart-daily", "chart-category", "chart-arms", "chart-intents", "chart-emotions", "chart-latency",
          "chart-quality")


def _books_orders(store, users: list[str]) -> dict[str, str]:
    """A books order of each user that has one (and no fresh item, which humans serve anyway)."""
    return {u: o["order_id"] for u in users for o in store.list_orders(u)
            if "books" in (kinds := {i["category"] for i in store.items(o["order_id"])}) and "fresh" not in kinds}


def _play(base: str, store) -> None:
    """Conversations through the chat API: both sides of a books split, a fresh pilot handoff, rated."""
    editor = {"Authorization": "Bearer " + httpx.post(base + "/api/auth/login",
                                                      json={"login": "editor", "password": "editor-demo"}).json()["token"]}
    for change in ({"category": "books", "mode": "split", "share": 0.5}, {"category": "fresh", "mode": "human"}):
        assert httpx.post(base + "/api/pilot", json=change, headers=editor).status_code == 200
    books = _books_orders(store, [f"u{i:05d}" for i in range(1, 11)])
    bot_side = [u for u in books if shopper_bucket(u) < 0.5][:2]
    human_side = [u for u in books if shopper_bucket(u) >= 0.5][:1]
    assert len(bot_side) == 2 and len(human_side) == 1
    cases = store.demo_cases()
    script = [(u, f"订单{books[u]}到哪了", 9) for u in bot_side + human_side]
    script += [("demo", f"订单{cases['delivered_fresh']}坏了一半，我很生气", 2), ("demo", "七天无理由退货怎么规定的", 10),
               ("demo", f"订单{cases['shipped']}到哪了", 6), ("demo", "你好", None)]
    for n, (user, text, rating) in enumerate(script):
        session = f"dash-{n}"
        turn = httpx.post(base + "/api/chat", json={"session": session, "user": user, "message": text}, timeout=60)
        assert turn.status_code == 200, turn.text
        if rating is not None:
            httpx.post(base + f"/api/chat/{session}/rating", json={"user": user, "rating": rating}).raise_for_status()


def test_the_dashboard_draws_the_live_kpis(serve_kefu, chromium, tmp_path, monkeypatch):
    monkeypatch.setenv("KEFU_DEMO_USERS", "10")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "100")
    monkeypatch.setenv("KEFU_ADMIN_IS_ADMIN", "true")  # the demo editor administers the pilot
    base = serve_kefu(tmp_path / "shop")
    _play(base, ensure_demo_store(Settings(data_dir=tmp_path / "shop", demo_users=10, demo_orders=100)))
    agent = {"Authorization": "Bearer " + httpx.post(base + "/api/auth/login",
                                                     json={"login": "agent", "password": "agent-demo"}).json()["token"]}
    kpis = httpx.get(base + "/api/kpis", headers=agent).json()
    assert {arm: f["conversations"] for arm, f in kpis["by_arm"].items()} == {"bot": 3, "human": 2}
    assert kpis["by_category"]["books"]["conversations"] == 3

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/dashboard")
    page.fill("#login", "agent")
    page.fill("#password", "agent-demo")
    page.click("#login-btn")
    page.locator("#board[data-rendered]").wait_for()
    assert errors == []

    data = {name: page.evaluate(f"document.getElementById('{name}').data") for name in CHARTS}
    assert all(page.locator(f"#{name} .main-svg").count() > 0 for name in CHARTS)  # plotly drew every chart
    assert sum(data["chart-daily"][0]["y"]) == kpis["conversations"]
    assert sum(data["chart-intents"][0]["x"]) == kpis["turns"] == sum(kpis["intents"].values())
    assert sorted(data["chart-emotions"][0]["values"]) == sorted(kpis["emotions"].values())
    assert {t["name"].split("（")[0] for t in data["chart-arms"]} == {"机器人", "人工"}
    assert {"图书", "生鲜"} <= set(data["chart-category"][0]["x"])
    # marks on the page, not just data: bars with height, one pie slice per emotion, points on the lines
    heights = page.evaluate("[...document.querySelectorAll('#chart-daily .bars .point path')]"
                            ".map(p => p.getBoundingClientRect().height)")
    assert heights and max(heights) > 10
    assert page.locator("#chart-emotions .slice").count() == len(kpis["emotions"])
    assert page.locator("#chart-arms .bars .point path").count() >= 4
    assert page.locator("#chart-latency .scatterlayer .point").count() >= 2
    tiles = page.locator("#tiles").inner_text()
    assert f"{kpis['conversations']}" in tiles and f"{kpis['handoff_rate'] * 100:.1f}%" in tiles

    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "dashboard.png"), full_page=True)
