"""Fixtures of the security tests: a small shop, the real app in demo or production mode, a login helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sectools import SECRET, STRONG

from app.api.main import create_app
from app.settings import Settings


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
