"""The chat page of a production server in real headless Chromium: the shop's login signs it in through the
URL fragment, the token leaves the address bar, travels only in bodies and headers, never reaches the
server's log, and the page's own script runs under the Content-Security-Policy."""

from __future__ import annotations

import pytest
from sectools import SECRET, STRONG, token

pytestmark = [pytest.mark.browser]


def test_a_signed_in_page_chats_without_the_token_in_any_url(serve_kefu, chromium, tmp_path, monkeypatch):
    for key, value in {"KEFU_ENV": "production", "KEFU_SHOPPER_SECRET": SECRET, "KEFU_DEMO_USERS": "10",
                       "KEFU_DEMO_ORDERS": "100", "KEFU_ADMIN_PASSWORD": STRONG["admin_password"],
                       "KEFU_AGENT_PASSWORD": STRONG["agent_password"]}.items():
        monkeypatch.setenv(key, value)
    base = serve_kefu(tmp_path / "shop")
    tok = token("demo", 600)
    page = chromium.new_page()
    blocked: list[str] = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(f"{base}/#user=demo&token={tok}")
    assert page.locator("#demo-banner").is_hidden()
    assert tok not in page.url and page.input_value("#user") == "demo"
    page.fill("#msg", "退货运费谁出")
    page.click("#send")
    reply = page.locator(".msg.assistant").last
    reply.filter(has_text="依据").wait_for(timeout=30_000)
    page.reload()  # the tab keeps its sign-in without the fragment
    page.fill("#msg", "你好")
    page.click("#send")
    page.locator(".msg.assistant[aria-busy]").wait_for(state="detached", timeout=30_000)  # the reply has finished
    assert page.locator(".msg.assistant").last.inner_text().strip()
    assert "抱歉" not in page.locator(".msg.assistant").last.inner_text()
    assert not any(tok in url for url in urls) and not blocked
    assert tok.split(".")[2] not in (tmp_path / "server-0.log").read_text(errors="replace")
