"""The chat page in real headless Chromium against a real `kefu serve` process (fixtures in tests/conftest.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


def test_customer_types_and_reads_a_streamed_reply(serve_kefu, chromium, tmp_path, monkeypatch):
    monkeypatch.setenv("KEFU_DEMO_USERS", "10")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "100")
    base = serve_kefu(tmp_path / "shop")
    page = chromium.new_page()
    page.goto(base + "/")
    page.fill("#msg", "帮我查下订单368867462071到哪了")
    page.click("#send")
    reply = page.locator(".msg.assistant").last
    reply.filter(has_text="SF").wait_for(timeout=30_000)
    text = reply.inner_text()
    assert "368867462071" in text
    assert "顺丰" in text or "SF" in text
    assert "action_track_logistics" in text  # the action behind the answer is shown under it
