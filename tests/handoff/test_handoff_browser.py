"""End to end in headless Chromium: a customer asks for a human, an agent takes over in /console,
messages cross both ways, the agent hands back, and the bot answers the next message.

Runs the real server (`python -m app serve`) on a free loopback port with its own data dir.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STEP_MS = 60_000


@pytest.fixture()
def server(serve_kefu, tmp_path: Path) -> str:
    """The real kefu server for a fresh shop (tests/conftest.py); its base URL."""
    return serve_kefu(tmp_path / "shop")


@pytest.fixture()
def browser(chromium) -> object:
    return chromium


def _customer_says(page, text: str) -> None:
    page.fill("#msg", text)
    page.click("#send")


def test_customer_and_agent_chat_live_then_bot_resumes(server: str, browser) -> None:
    agent = browser.new_context().new_page()
    agent.set_default_timeout(STEP_MS)
    agent.goto(server + "/console")
    agent.fill("#login", "agent")
    agent.fill("#password", "agent-demo")
    agent.click("#login-btn")
    agent.wait_for_selector("#desk:not([hidden])")
    # locator waits, not wait_for_function: the pages' CSP forbids the string eval it relies on
    agent.locator("#online").filter(has_text="1").wait_for()

    customer = browser.new_context().new_page()
    customer.set_default_timeout(STEP_MS)
    customer.goto(server + "/")
    _customer_says(customer, "转人工")
    customer.locator("#log .msg.assistant").filter(has_text="人工").first.wait_for()

    row = agent.wait_for_selector("#queue tbody tr[data-ticket]")
    row.query_selector("button.take").click()
    agent.wait_for_selector("#transcript .msg.user >> text=转人工")
    customer.wait_for_selector("#log .msg.agent")  # "人工客服agent正在为您服务。"

    agent.fill("#msg", "您好，我是客服小王，请问有什么可以帮您？")
    agent.click("#send")
    customer.wait_for_selector("#log .msg.agent >> text=我是客服小王")

    _customer_says(customer, "我的快递一直没到，帮我查查")
    agent.wait_for_selector("#transcript .msg.user >> text=我的快递一直没到")

    agent.click("#release")
    customer.wait_for_selector("#log .msg.agent >> text=转回智能客服")
    customer.wait_for_selector("#status:empty")
    bot_replies = customer.locator("#log .msg.assistant").count()
    _customer_says(customer, "我的订单什么时候发货？")
    customer.locator("#log .msg.assistant").nth(bot_replies).wait_for()
    customer.locator("#log .msg.assistant[aria-busy]").wait_for(state="detached")  # the reply has finished
    assert agent.locator("#queue tbody tr[data-ticket]").count() == 0

    customer.select_option("#score", "3")
    customer.click("#rateBtn")
    customer.wait_for_selector("#status >> text=感谢您的评价")
    token = httpx.post(server + "/api/auth/login", json={"login": "agent", "password": "agent-demo"}).json()[
        "token"
    ]
    low = httpx.get(server + "/api/ratings?below=8", headers={"Authorization": f"Bearer {token}"}).json()
    assert [r["rating"] for r in low["ratings"]] == [3]
