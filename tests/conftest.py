"""Fixtures shared by the test layers: a small demo shop, a real `kefu serve` process, headless Chromium.

A directory's own conftest may redefine `shop` (tests/graph hands out Settings instead of the Store)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from app.settings import get_settings
from app.store import Store, close_all, ensure_demo_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
STARTUP_S = 180.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serve_kefu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], str]]:
    """serve_kefu(data_dir) starts `python -m app serve` for that shop on a free loopback port and returns
    its base URL once /healthz answers; the process is stopped after the test."""
    procs: list[subprocess.Popen] = []

    def start(data_dir: Path) -> str:
        monkeypatch.setenv("KEFU_DATA_DIR", str(data_dir))
        port, log_path = _free_port(), tmp_path / f"server-{len(procs)}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                    stdout=log, stderr=subprocess.STDOUT)
        procs.append(proc)
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + STARTUP_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not become ready")
            time.sleep(0.5)

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def chromium() -> Iterator[object]:
    """A headless Debian Chromium driven by playwright (skipped where it is not installed)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
