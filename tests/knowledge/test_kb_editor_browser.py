"""The policy editor end to end in headless Chromium against the real server (`python -m app serve`): the flows
an editor walks every day, each checked on the page and, where it matters, in the knowledge base itself."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from app.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(serve_kefu, demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KEFU_DEMO_USERS", "10")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "60")
    return serve_kefu(demo_copy)


@pytest.fixture
def page(server: str, demo_copy: Path, chromium):
    """The editor page, logged in (after a wrong password is refused)."""
    from playwright.sync_api import expect

    assert httpx.get(server + "/api/policies").status_code == 401  # a shopper gets nothing
    settings = Settings(data_dir=demo_copy)
    page = chromium.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/editor")
    page.fill("#login", settings.admin_user)
    page.fill("#password", "wrong password")
    page.click("#login-btn")
    expect(page.locator("#login-error")).to_contain_text("错误")
    page.fill("#password", settings.admin_password)
    page.click("#login-btn")
    page.wait_for_selector("#policy-list li[data-id='shipping-fee']")
    yield page
    assert errors == []  # no script error on any step


def _kb(demo_copy: Path):
    """The knowledge base as another process (this test) sees it."""
    from knowledge.kb import KnowledgeBase

    settings = Settings(data_dir=demo_copy)
    return KnowledgeBase(settings.kb_path, settings.chroma_path, None, settings.embedding_model,
                         timezone=settings.shop_timezone)


def test_create_with_a_typo_date_a_draft_a_test_question_and_the_diff_before_publishing(page, demo_copy) -> None:
    from playwright.sync_api import expect

    page.click("#new-btn")
    page.fill("#f-id", "pet-returns")
    page.fill("#f-title", "宠物用品退货规则")
    page.fill("#f-category", "returns")
    page.fill("#f-body", "- 宠物食品开封后不支持退货。\n- 未开封的宠物食品支持七天无理由退货。")
    expect(page.locator("#preview")).to_contain_text("开封后不支持退货")  # live Markdown preview
    page.click("#f-from")
    page.keyboard.type("05")  # a month only: the picker holds an incomplete date
    page.click("#publish-btn")
    expect(page.locator("#err-effective_from")).to_contain_text("没有填完整")
    assert not page.locator("#dialog").is_visible()  # blocked before anything is sent
    page.fill("#f-from", "")

    page.click("#save-draft-btn")
    expect(page.locator("#status")).to_contain_text("草稿已保存")
    expect(page.locator("#drafts-list li[data-draft-id]")).to_have_count(1)
    assert _kb(demo_copy).versions_of(["pet-returns"]) == {"pet-returns": 0}  # nothing published
    page.click("#policy-list li[data-id='shipping-fee']")
    expect(page.locator("#f-id")).to_have_value("shipping-fee")
    page.reload()  # a draft survives the page
    page.click("#drafts-list li[data-draft-id]")
    expect(page.locator("#f-id")).to_have_value("pet-returns")
    expect(page.locator("#f-body")).to_have_value(re.compile("开封后不支持退货"))

    page.fill("#ask-q", "宠物食品开封了还能退吗")
    page.click("#ask-btn")
    expect(page.locator("#ask-draft .clauses li[data-id='pet-returns']")).to_have_count(1)
    expect(page.locator("#ask-draft .reply")).to_contain_text("开封后不支持退货")
    expect(page.locator("#ask-today .reply")).not_to_contain_text("开封后不支持退货")
    assert page.locator("#ask-today .clauses li[data-id='pet-returns']").count() == 0

    page.click("#publish-btn")
    expect(page.locator("#dialog-body")).to_contain_text("新政策「pet-returns」")
    expect(page.locator("#dialog-diff")).to_contain_text("宠物食品开封后不支持退货")
    page.click("#dialog-ok")
    expect(page.locator("#status")).to_contain_text("已发布「pet-returns」v1")
    expect(page.locator("#drafts-list li[data-draft-id]")).to_have_count(0)
    assert _kb(demo_copy).versions_of(["pet-returns"]) == {"pet-returns": 1}

    page.click("#new-btn")  # a new policy with an id that exists: said while typing, refused on publishing
    page.fill("#f-id", "return-7day")
    expect(page.locator("#err-id")).to_contain_text("七天无理由退货")
    page.fill("#f-title", "宠物用品退换规则")
    page.click("#publish-btn")
    expect(page.locator("#error")).to_contain_text("已被政策「七天无理由退货」使用")
    assert not page.locator("#dialog").is_visible()  # refused before the confirmation
    assert _kb(demo_copy).get("return-7day")["title"] == "七天无理由退货"


def test_edit_schedule_roll_back_retire_restore_and_the_list(page, demo_copy) -> None:
    from playwright.sync_api import expect

    kb = _kb(demo_copy)
    later, sooner = (kb.today() + timedelta(days=20)).isoformat(), (kb.today() + timedelta(days=10)).isoformat()
    page.click("#policy-list li[data-id='shipping-fee']")
    expect(page.locator("#f-from")).to_have_value("")  # a new version starts now, not on the old date
    expect(page.locator("#twin-hint")).to_contain_text("shipping-fee-en")
    page.fill("#f-body", page.input_value("#f-body").replace("满99元包邮", "满66元包邮"))
    page.click("#publish-btn")
    expect(page.locator("#dialog-diff td.del")).to_contain_text(["满99元包邮"])
    expect(page.locator("#dialog-diff td.add")).to_contain_text(["满66元包邮"])
    expect(page.locator("#dialog-diff td.add", has_text="twin")).to_have_count(0)  # only what the editor changed
    page.click("#dialog-ok")
    expect(page.locator("#status")).to_contain_text("「shipping-fee」v2")
    assert kb.history("shipping-fee")[-1]["effective_from"] == kb.today().isoformat()
    expect(page.locator("#policy-list li[data-id='shipping-fee-en'] .tag.outdated")).to_have_count(1)

    page.fill("#f-body", page.input_value("#f-body").replace("满66元包邮", "满59元包邮"))
    page.fill("#f-from", later)
    page.click("#publish-btn")
    expect(page.locator("#dialog-body")).to_contain_text(f"{later} 起生效")
    page.click("#dialog-ok")
    expect(page.locator("#history tr[data-version='3'][data-status='scheduled']")).to_have_count(1)
    page.click("#history tr[data-version='3'] .edit-scheduled")
    expect(page.locator("#f-from")).to_have_value(later)
    expect(page.locator("#banner")).to_contain_text("排期版本 v3")
    page.fill("#f-from", sooner)
    page.fill("#f-body", page.input_value("#f-body").replace("满59元包邮", "满49元包邮"))
    page.click("#publish-btn")
    expect(page.locator("#dialog-body")).to_contain_text("替换排期中的 v3")
    page.click("#dialog-ok")
    expect(page.locator("#history tr[data-version='4'][data-status='scheduled']")).to_have_count(1)
    expect(page.locator("#history tr[data-version='3'][data-status='withdrawn']")).to_have_count(1)
    page.click("#history tr[data-version='4'] .cancel-scheduled")
    page.click("#dialog-ok")
    expect(page.locator("#status")).to_contain_text("已取消排期 v4")
    assert kb.versions_of(["shipping-fee"]) == {"shipping-fee": 2}
    assert [h["status"] for h in kb.history("shipping-fee")] == ["superseded", "current", "withdrawn", "withdrawn"]

    page.click("#history tr[data-version='2'] .view")  # an old version, read-only
    expect(page.locator("#dialog")).to_contain_text("满66元包邮")
    assert page.locator("#dialog-ok").is_hidden()
    page.click("#dialog-cancel")
    page.select_option("#cmp-a", "1")
    page.select_option("#cmp-b", "4")
    page.click("#cmp-btn")
    expect(page.locator("#dialog-diff td.del")).to_contain_text(["满99元包邮"])
    expect(page.locator("#dialog-diff td.add")).to_contain_text(["满49元包邮"])
    page.click("#dialog-cancel")

    page.click("#history tr[data-version='1'] .rollback")
    expect(page.locator("#dialog-diff td.del")).to_contain_text(["满66元包邮"])
    expect(page.locator("#dialog-diff td.add")).to_contain_text(["满99元包邮"])
    page.click("#dialog-ok")
    expect(page.locator("#status")).to_contain_text("已回滚到 v1")
    assert kb.versions_of(["shipping-fee"]) == {"shipping-fee": 1}
    expect(page.locator("#audit li[data-action='rollback']")).to_contain_text("回滚")

    page.click("#retire-btn")
    expect(page.locator("#dialog-body")).to_contain_text("确定下线「shipping-fee」")
    page.click("#dialog-ok")
    expect(page.locator("#status")).to_contain_text("已下线")
    assert kb.versions_of(["shipping-fee"]) == {"shipping-fee": 0}
    page.select_option("#status-filter", "retired")
    expect(page.locator("#policy-list li[data-id]")).to_have_count(1)
    page.click("#policy-list li[data-id='shipping-fee'] .restore")
    expect(page.locator("#status")).to_contain_text("已恢复上线")
    assert kb.versions_of(["shipping-fee"]) == {"shipping-fee": 1}
    page.select_option("#status-filter", "")
    page.fill("#filter", "不记名")  # words of a policy's text, not of its title
    expect(page.locator("#policy-list li[data-id]")).to_have_count(1)
    expect(page.locator("#policy-list li[data-id='gift-card']")).to_have_count(1)
    page.fill("#filter", "")

    page.click("#policy-list li[data-id='shipping-fee-en']")
    expect(page.locator("#banner .outdated")).to_contain_text("shipping-fee")
    page.fill("#f-title", "Shipping fees (edited)")  # unsaved: leaving asks first
    page.click("#policy-list li[data-id='invoice']")
    expect(page.locator("#dialog")).to_contain_text("未保存")
    page.click("#dialog-cancel")
    expect(page.locator("#f-title")).to_have_value("Shipping fees (edited)")

    page.select_option("#lang-select", "en")  # an English page gets English errors, pointing at the field
    page.click("#tab-raw")
    page.fill("#md", page.input_value("#md").replace("effective_to: null", "effective_to: 2026-13-45"))
    page.click("#publish-btn")
    expect(page.locator("#error")).to_contain_text("bad date '2026-13-45' in effective_to")
    expect(page.locator("#err-markdown")).to_contain_text("2026-13-45")
