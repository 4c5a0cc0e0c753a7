"""Fixtures for the operations tests: a small demo shop (Settings), its conversation service, an API client."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
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
def client(shop: Settings, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(shop)) as test_client:
        yield test_client


@pytest.fixture
def login(client: TestClient) -> Callable[..., dict[str, str]]:
    """login("agent" | "editor") -> the bearer headers of that demo login (or of `password`'s account)."""

    def headers(who: str = "agent", password: str | None = None) -> dict[str, str]:
        answer = client.post("/api/auth/login", json={"login": who, "password": password or f"{who}-demo"})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    return headers
