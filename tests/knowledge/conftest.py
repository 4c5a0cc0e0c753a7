"""Shared fixtures of the knowledge tests: one demo store per session, small fresh stores per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.settings import Settings


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the demo policies, built once per session (copy it, never edit it)."""
    from knowledge import open_kb

    folder = tmp_path_factory.mktemp("kb-demo")
    open_kb(Settings(data_dir=folder)).vectors.reopen()  # closes the Chroma client before copies
    return folder


@pytest.fixture(scope="session")
def demo_kb(demo_dir: Path) -> Any:
    """The demo shop's knowledge base (treat it as read-only)."""
    from knowledge import open_kb

    return open_kb(Settings(data_dir=demo_dir))


@pytest.fixture
def demo_copy(demo_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the demo data dir that a test may change."""
    import shutil

    target = tmp_path / "demo-copy"
    shutil.copytree(demo_dir, target, ignore=shutil.ignore_patterns("kb.lock"))
    return target


@pytest.fixture
def kb_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "shop")


@pytest.fixture
def empty_kb(kb_settings: Settings) -> Any:
    """A fresh knowledge base without the demo policies."""
    from knowledge import open_kb

    return open_kb(kb_settings, seed_demo=False)
