"""The chat page in real headless Chromium against a real `kefu serve` process (fixtures in tests/conftest.py):
streamed replies without internal trace lines, order choices as tappable cards, confirmations as quick-reply
buttons (by keyboard too), the typing indicator, and a 375 px phone screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import Settings
from app.store import ensure_demo_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
STEP_MS = 60_000
OUT = Path(__file__).resolve().parents[2] / "out"


@pytest.fixture
def site(serve_kefu, tmp_path, monkeypatch) -> tuple[str, object]:
    """The server's base URL and its demo store."""
    monkeypatch.setenv("KEFU_DEMO_USERS", "10")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "100")
    base = serve_kefu(tmp_path / "shop")
    return base, ensure_demo_store(Settings(data_dir=tmp_path / "shop", demo_users=10, demo_orders=100))


def _ask(page, text: str) -> None:
    before = page.locator("#log .msg.assistant").count()
    page.fill("#msg", text)
    page.click("#send")
    _wait_reply(page, before)


def _wait_reply(page, before: int) -> None:
    """Until the reply after the `before`-th one has finished streaming."""
    page.locator("#log .msg.assistant").nth(before).wait_for()
    page.locator("#log .msg.assistant[aria-busy]").wait_for(state="detached")


def test_customer_reads_a_streamed_reply_without_trace_lines(site, chromium):
    base, store = site
    shipped = store.demo_cases()["shipped"]
    page = chromium.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(base + "/")
    seen_typing = page.evaluate_handle("""(() => { const seen = {typing: false};
        new MutationObserver(() => { if (document.querySelector('#log .typing')) seen.typing = true; })
          .observe(document.getElementById('log'), {childList: true, subtree: true});
        return seen; })()""")
    _ask(page, f"帮我查下订单{shipped}到哪了")
    text = page.locator("#log .msg.assistant").last.inner_text()
    tracking = store.shipment(shipped)["tracking_no"]
    assert shipped in text and tracking in text
    log = page.locator("#log").inner_text()
    assert "action_" not in log and ": done" not in log and "need_slot" not in log  # no internal trace lines
    assert seen_typing.evaluate("s => s.typing") is True  # the typing indicator showed while it streamed
    assert page.locator("#log .typing").count() == 0


def test_tapping_an_order_card_answers_which_order(site, chromium):
    base, store = site
    page = chromium.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(base + "/")
    _ask(page, "我的快递到哪了")
    cards = page.locator("#log .cards .card")
    assert cards.count() >= 2
    shipped = store.demo_cases()["shipped"]
    card = page.locator(f'#log .card[data-order="{shipped}"]')
    order = store.get_order(shipped)
    card_text = card.inner_text()
    assert order["items"][0]["name"] in card_text and "运输中" in card_text and f"¥{order['total']:.2f}" in card_text
    assert shipped not in page.locator("#log .msg.assistant").last.inner_text()  # the list is in the cards only
    before = page.locator("#log .msg.assistant").count()
    card.click()
    _wait_reply(page, before)
    assert store.shipment(shipped)["tracking_no"] in page.locator("#log .msg.assistant").last.inner_text()
    assert "chosen" in (card.get_attribute("class") or "")
    assert all(cards.nth(i).is_disabled() for i in range(cards.count()))  # an answered question goes inert


def test_a_quick_reply_confirms_a_proposal_from_the_keyboard(site, chromium):
    base, store = site
    paid = store.demo_cases()["paid"]
    page = chromium.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(base + "/")
    _ask(page, f"不想要了，帮我取消订单{paid}")
    buttons = page.locator("#log .quick button")
    assert [buttons.nth(i).inner_text() for i in range(buttons.count())] == ["确认", "不用了"]
    assert store.get_order(paid)["status"] == "paid"
    before = page.locator("#log .msg.assistant").count()
    buttons.first.focus()
    page.keyboard.press("Enter")  # keyboard users tap the same buttons
    _wait_reply(page, before)
    assert page.locator("#log .msg.user").last.inner_text() == "确认"
    assert store.get_order(paid)["status"] == "cancelled"
    assert buttons.first.is_disabled()


def test_the_page_fits_a_375px_phone(site, chromium):
    base, _ = site
    context = chromium.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True,
                                   device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(base + "/")
    _ask(page, "我的快递到哪了")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing scrolls sideways
    for selector in ("#msg", "#send", "#log .card >> nth=0", "#rateBtn"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, selector
    card = page.locator("#log .card").first.bounding_box()
    assert card and card["width"] >= 300 and card["height"] >= 44  # one card a row, easy to tap
    send = page.locator("#send").bounding_box()
    assert send and send["height"] >= 44 and send["y"] + send["height"] <= 667
    assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('msg')).fontSize)") >= 16  # no zoom-in
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "chat-phone.png"))
    page.locator("#log .card").first.tap()
    page.locator("#log .msg.user").nth(1).wait_for()
    context.close()
