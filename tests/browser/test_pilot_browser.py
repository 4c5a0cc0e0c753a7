"""A category pilot run in headless Chromium: an admin sets `fresh` to `human` in the console, a shopper asking
about a fresh-food order is handed to the console with reason pilot (the agent sees the question), and the same
question about another category's order is served by the bot."""

from __future__ import annotations

import httpx
import pytest

from app.settings import Settings
from app.store import ensure_demo_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
STEP_MS = 60_000


def _ask(page, text: str) -> str:
    before = page.locator("#log .msg.assistant").count()
    page.fill("#msg", text)
    page.click("#send")
    page.locator("#log .msg.assistant").nth(before).wait_for()
    page.locator("#log .msg.assistant[aria-busy]").wait_for(state="detached")
    return page.locator("#log .msg.assistant").last.inner_text()


def test_fresh_goes_to_the_console_and_other_categories_stay_with_the_bot(serve_kefu, chromium, tmp_path, monkeypatch):
    monkeypatch.setenv("KEFU_DEMO_USERS", "10")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "100")
    monkeypatch.setenv("KEFU_ADMIN_IS_ADMIN", "true")  # the demo editor administers the pilot
    base = serve_kefu(tmp_path / "shop")
    cases = ensure_demo_store(Settings(data_dir=tmp_path / "shop", demo_users=10, demo_orders=100)).demo_cases()
    fresh, shipped = cases["delivered_fresh"], cases["shipped"]

    admin = chromium.new_context().new_page()  # admins pass the console's agent check
    admin.set_default_timeout(STEP_MS)
    admin.goto(base + "/console")
    admin.fill("#login", "editor")
    admin.fill("#password", "editor-demo")
    admin.click("#login-btn")
    admin.locator("#pilot-panel").wait_for()
    admin.select_option("#pilot-category", "fresh")
    admin.select_option("#pilot-mode", "human")
    admin.click("#pilot-save")
    admin.locator("#pilot-now", has_text="fresh：人工").wait_for()
    staff = {"Authorization": "Bearer " + httpx.post(base + "/api/auth/login",
                                                     json={"login": "agent", "password": "agent-demo"}).json()["token"]}
    history = httpx.get(base + "/api/pilot/history", headers=staff).json()
    assert (history[0]["actor"], history[0]["category"], history[0]["after"]) == ("editor", "fresh", {"mode": "human"})

    shopper = chromium.new_context().new_page()
    shopper.set_default_timeout(STEP_MS)
    shopper.goto(base + "/")
    notice = _ask(shopper, f"订单{fresh}到哪了？")
    assert "人工" in notice and "工单" in notice
    shopper.locator("#status", has_text="人工客服服务中").wait_for()

    row = admin.locator("#queue tbody tr[data-ticket]").first
    row.wait_for()
    assert "品类试点" in row.inner_text()
    row.locator("button.take").click()
    admin.locator("#transcript .msg.user", has_text=fresh).wait_for()
    admin.locator("#slots", has_text=fresh).wait_for()  # the full context came with the ticket

    shopper.click("#new")
    answer = _ask(shopper, f"订单{shipped}到哪了？")
    assert shipped in answer and "人工" not in answer
    assert shopper.locator("#status").inner_text() == ""
    assert httpx.get(base + "/api/console/queue", headers=staff).json()["queue"] == []
    assert httpx.get(base + "/api/kpis", headers=staff).json()["handoff_reasons"] == {"pilot": 1}  # one ticket only
