"""Issue 16 #1: production mode refuses unsafe settings at start-up; demo mode is loud about itself."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
from sectools import SECRET, STRONG, token

STRONG_ENV = {"KEFU_SHOPPER_SECRET": SECRET, "KEFU_ADMIN_PASSWORD": STRONG["admin_password"],
              "KEFU_AGENT_PASSWORD": STRONG["agent_password"]}


@pytest.mark.parametrize(("change", "named"), [
    ({"KEFU_SHOPPER_SECRET": None}, "KEFU_SHOPPER_SECRET is not set"),
    ({"KEFU_SHOPPER_SECRET": "x" * 31}, "KEFU_SHOPPER_SECRET is shorter than 32"),
    ({"KEFU_ADMIN_PASSWORD": None}, "KEFU_ADMIN_PASSWORD is not set"),
    ({"KEFU_ADMIN_PASSWORD": "editor-demo"}, "KEFU_ADMIN_PASSWORD is the demo default"),
    ({"KEFU_ADMIN_PASSWORD": "short-pass1"}, "KEFU_ADMIN_PASSWORD is shorter than 12"),
    ({"KEFU_AGENT_PASSWORD": None}, "KEFU_AGENT_PASSWORD is not set"),
    ({"KEFU_AGENT_PASSWORD": "agent-demo"}, "KEFU_AGENT_PASSWORD is the demo default"),
    ({"KEFU_AGENT_PASSWORD": "short-pass1"}, "KEFU_AGENT_PASSWORD is shorter than 12"),
])
def test_production_refuses_to_start_on_a_missing_or_weak_setting(tmp_path, monkeypatch, change, named):
    monkeypatch.setenv("KEFU_ENV", "production")
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    for key, value in {**STRONG_ENV, **change}.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    done = subprocess.run([sys.executable, "-m", "app", "serve", "--port", "1"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], done.stderr
    assert done.stdout == ""


def test_the_app_refuses_weak_production_settings_too(make_settings):
    from app.api.main import create_app

    with pytest.raises(ValueError, match="KEFU_SHOPPER_SECRET"):
        create_app(make_settings(env="production", **STRONG))


def test_production_chat_needs_the_shoppers_own_valid_token(production, client_for):
    client = client_for(production)
    turn = {"session": "p1", "user": "demo", "message": "帮我把收货地址改成北京市朝阳区建国路1号"}
    assert client.post("/api/chat", json=turn).status_code == 401
    assert client.post("/api/chat", json={**turn, "token": token("mallory", 600)}).status_code == 401
    ok = client.post("/api/chat", json={**turn, "token": token("demo", 600)})
    assert ok.status_code == 200 and ok.json()["reply"]
    by_header = client.post("/api/chat", json={**turn, "message": "你好"},
                            headers={"X-Shopper-Token": token("demo", 600)})
    assert by_header.status_code == 200


def test_the_chat_page_shows_a_demo_banner_in_demo_mode_only(make_settings, production, client_for):
    demo_page = client_for(make_settings()).get("/").text
    assert 'id="demo-banner" class="demo-banner" role="alert">' in demo_page
    prod_page = client_for(production).get("/").text
    assert 'id="demo-banner" class="demo-banner" role="alert" hidden>' in prod_page


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_mode_beyond_loopback_warns_loudly_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KEFU_ENV", raising=False)
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--host", "0.0.0.0", "--port", str(_free_port())],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, first = time.monotonic() + 120, ""
        while not first and time.monotonic() < deadline and proc.stderr is not None:
            first = proc.stderr.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert first.startswith("WARNING: kefu is in DEMO mode and listens on 0.0.0.0"), first
    assert "KEFU_ENV=production" in first


def test_loopback_demo_is_quiet():
    from app.production import demo_warning
    from app.settings import Settings

    assert demo_warning(Settings(), "127.0.0.1") is None and demo_warning(Settings(), "::1") is None
    assert demo_warning(Settings(), "192.168.1.5") is not None
