"""The policy editor end to end in headless Chromium against the real server (`python -m app serve`)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("KEFU_DATA_DIR", str(demo_copy))
    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"server exited: {log_path.read_text(errors='replace')[-2000:]}")
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("server did not become ready")
                time.sleep(0.5)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_editor_login_edit_publish_search_rollback(server: str, demo_copy: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert httpx.get(server + "/api/policies").status_code == 401  # a shopper gets nothing
    settings = Settings(data_dir=demo_copy)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(60_000)
        page.goto(server + "/editor")
        page.fill("#login", settings.admin_user)
        page.fill("#password", "wrong password")
        page.click("#login-btn")
        expect(page.locator("#login-error")).to_contain_text("错误")
        page.fill("#password", settings.admin_password)
        page.click("#login-btn")
        page.click("#policy-list li[data-id='shipping-fee']")
        expect(page.locator("#md")).to_have_value(__import__("re").compile("满99元包邮"))
        page.fill("#md", page.input_value("#md").replace("满99元包邮", "满66元包邮"))
        page.click("#preview-btn")
        expect(page.locator("#preview")).to_contain_text("满66元包邮")
        page.click("#publish-btn")
        expect(page.locator("#status")).to_contain_text("shipping-fee v2")
        page.fill("#search-q", "买多少钱可以包邮")
        page.click("#search-btn")
        top = page.locator("#search-results li").first
        expect(top).to_have_attribute("data-id", "shipping-fee")
        expect(top).to_have_attribute("data-version", "2")
        expect(top).to_contain_text("66元")
        page.click("#history .rollback[data-version='1']")
        expect(page.locator("#status")).to_contain_text("v1")
        expect(page.locator("#audit")).to_contain_text("rollback")
        browser.close()
    from knowledge.kb import KnowledgeBase

    # another process (this test) sees the editor's last change
    kb = KnowledgeBase(settings.kb_path, settings.chroma_path, None, settings.embedding_model)
    assert kb.versions_of(["shipping-fee"]) == {"shipping-fee": 1}
    assert [a["action"] for a in kb.audit("shipping-fee")][:2] == ["rollback", "publish"]
