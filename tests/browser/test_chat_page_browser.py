"""The chat page in real headless Chromium against a real `kefu serve` process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path) -> Iterator[str]:
    port = _free_port()
    env = {"KEFU_DATA_DIR": str(tmp_path / "shop"), "KEFU_DEMO_USERS": "10", "KEFU_DEMO_ORDERS": "100",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_customer_types_and_reads_a_streamed_reply(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        page = browser.new_page()
        page.goto(server + "/")
        page.fill("#msg", "帮我查下订单368867462071到哪了")
        page.click("#send")
        reply = page.locator(".msg.assistant").last
        reply.filter(has_text="SF").wait_for(timeout=30_000)
        text = reply.inner_text()
        browser.close()
    assert "368867462071" in text
    assert "顺丰" in text or "SF" in text
