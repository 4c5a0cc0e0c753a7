"""Fixtures of the security tests: a small shop, the real app in demo or production mode, a login helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.settings import Settings

SECRET = "s" * 40
STRONG = {"admin_password": "editor-strong-pass", "agent_password": "agent-strong-pass"}


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """make_settings(**overrides): settings of a small shop in this test's temp folder (demo mode unless told)."""

    def build(**overrides: Any) -> Settings:
        base: dict[str, Any] = {"data_dir": tmp_path / "shop", "demo_users": 10, "demo_orders": 100}
        return Settings(**{**base, **overrides})

    return build


@pytest.fixture
def production(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(env="production", shopper_secret=SECRET, **STRONG)


@pytest.fixture
def client_for() -> Callable[..., TestClient]:
    def build(settings: Settings, base_url: str = "http://testserver") -> TestClient:
        return TestClient(create_app(settings), base_url=base_url)

    return build


def login(client: TestClient, name: str, password: str, **headers: str) -> dict[str, str]:
    """Log in; the bearer header of the session."""
    res = client.post("/api/auth/login", json={"login": name, "password": password}, headers=headers)
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['token']}"}


def token(user: str, ttl_s: float = 600, now: float | None = None) -> str:
    """A shopper token signed with SECRET (imported here so each test fails on its own, not at collection)."""
    from app.shopper import mint

    return mint(SECRET, user, ttl_s, now)
