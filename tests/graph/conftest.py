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
