"""The policy editor end to end in headless Chromium against the real server (`python -m app serve`)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(serve_kefu, demo_copy: Path) -> str:
    return serve_kefu(demo_copy)


def test_editor_login_edit_publish_search_rollback(server: str, demo_copy: Path, chromium) -> None:
    from playwright.sync_api import expect

    assert httpx.get(server + "/api/policies").status_code == 401  # a shopper gets nothing
    settings = Settings(data_dir=demo_copy)
    page = chromium.new_page()
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
    from knowledge.kb import KnowledgeBase

    # another process (this test) sees the editor's last change
    kb = KnowledgeBase(settings.kb_path, settings.chroma_path, None, settings.embedding_model)
    assert kb.versions_of(["shipping-fee"]) == {"shipping-fee": 1}
    assert [a["action"] for a in kb.audit("shipping-fee")][:2] == ["rollback", "publish"]
