"""Fixtures of the store tests: a small demo shop in a temporary KEFU_DATA_DIR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.settings import get_settings
from app.store import Store, close_all, ensure_demo_store


@pytest.fixture()
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A freshly generated small demo store; the process settings point at it."""
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KEFU_DEMO_USERS", "12")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "80")
    get_settings.cache_clear()
    yield ensure_demo_store(get_settings())
    close_all()
    get_settings.cache_clear()
