"""The action package also runs as a standard Rasa action server (`python -m rasa_sdk`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.actions.runner import build_action_call
from app.settings import Settings
from app.store import create_demo_store, open_store

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(proc: subprocess.Popen) -> None:
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture()
def action_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A real action server on a free loopback port over a small demo store; yields (url, demo cases)."""
    settings = Settings(data_dir=tmp_path, demo_users=10, demo_orders=50)
    create_demo_store(settings.store_path, seed=settings.demo_seed, n_users=10, n_orders=50)
    cases = open_store(settings.store_path).demo_cases()
    port = _free_port()
    env = {**os.environ, "KEFU_DATA_DIR": str(tmp_path), "SANIC_HOST": "127.0.0.1"}
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "rasa_sdk", "--actions", "app.actions", "--port", str(port)],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail(f"action server did not start: {(tmp_path / 'server.log').read_text()[-2000:]}")
        yield url, cases
    finally:
        _stop(proc)
        log.close()


def test_webhook_runs_order_details_for_the_demo_user(action_server: tuple[str, dict[str, str]]) -> None:
    url, cases = action_server
    actions = {a["name"] for a in httpx.get(f"{url}/actions", timeout=10).json()}
    assert {"action_order_details", "action_cancel_order", "action_return_request"} <= actions

    call = build_action_call("action_order_details", "demo", {"order_id": cases["shipped"]}, "check")
    response = httpx.post(f"{url}/webhook", json=call, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["events"] == []
    outcome = body["responses"][0]["custom"]
    assert outcome["status"] == "done" and outcome["result"]["order_id"] == cases["shipped"]
    assert outcome["result"]["status"] == "shipped" and outcome["result"]["items"]

    foreign = build_action_call("action_order_details", "u00001", {"order_id": cases["shipped"]}, "check")
    refused = httpx.post(f"{url}/webhook", json=foreign, timeout=30).json()["responses"][0]["custom"]
    assert refused["reason_code"] == "not_your_order"

    unknown = httpx.post(f"{url}/webhook", json={**call, "next_action": "action_nope"}, timeout=30)
    assert unknown.status_code == 404
