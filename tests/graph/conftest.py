"""Fixtures for graph tests: a small demo shop in a temp data dir and its conversation service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.service import ChatService
from app.settings import Settings
from app.store import Store, ensure_demo_store


@pytest.fixture
def shop(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "shop", demo_users=20, demo_orders=200)


@pytest.fixture
def store(shop: Settings) -> Store:
    return ensure_demo_store(shop)


@pytest.fixture
def cases(store: Store) -> dict[str, str]:
    return store.demo_cases()


@pytest.fixture
def service(shop: Settings, store: Store) -> ChatService:
    return ChatService(shop)


@pytest.fixture
def talk(service: ChatService) -> Callable[..., dict[str, Any]]:
    """talk("message", session="s", user="demo") -> the turn's JSON."""

    def run(message: str, session: str = "s1", user: str = "demo") -> dict[str, Any]:
        return service.run_turn(session, user, message)

    return run


@pytest.fixture
def transfer_offered(talk, cases) -> Callable[[], dict[str, Any]]:
    """transfer_offered() -> the turn that leaves kefu's transfer offer pending (a parcel shown signed that never
    came, its order given, the locker checked), not yet taken."""

    def run() -> dict[str, Any]:
        talk("显示签收了 我没收到啊")
        talk(cases["price_drop"])
        offer = talk("快递柜我看了没有")
        assert dict(offer["state"])["pending_question"]["kind"] == "transfer"
        assert offer["handoff"]["active"] is False
        return offer

    return run
