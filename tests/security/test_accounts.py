"""Issue 16 #2-#4: passwords follow the settings, the first editor is no admin, the lockout holds for every
spelling of a login and per address, resets end sessions, accounts can be disabled, 12+ characters."""

from __future__ import annotations

import io
import json
import sys

from sectools import login

from app.auth import AuthStore
from app.cli import main as kefu
from app.settings import get_settings


def test_a_password_set_after_the_first_run_replaces_the_default(make_settings, client_for):
    first = client_for(make_settings())
    old_session = login(first, "editor", "editor-demo")
    second = client_for(make_settings(admin_password="a-new-strong-password"))  # the restart with the setting
    refused = second.post("/api/auth/login", json={"login": "editor", "password": "editor-demo"})
    assert refused.status_code == 401
    assert second.get("/api/auth/me", headers=old_session).status_code == 401  # the old session ended
    editor = login(second, "editor", "a-new-strong-password")
    assert second.get("/api/auth/accounts", headers=editor).status_code == 403  # the first editor is no admin


def test_the_first_editor_is_admin_only_when_asked(make_settings, client_for):
    client = client_for(make_settings(admin_password="a-new-strong-password", admin_is_admin=True))
    editor = login(client, "editor", "a-new-strong-password")
    assert client.get("/api/auth/accounts", headers=editor).status_code == 200


def test_a_lookalike_spelling_does_not_get_fresh_attempts(make_settings, client_for):
    settings = make_settings()
    AuthStore(settings).create_account("victim", "victim-password-1", ["agent"])
    client = client_for(settings)
    for _ in range(5):
        assert client.post("/api/auth/login", json={"login": "victim", "password": "guess"}).status_code == 401
    for spelling in ("ｖictim", "ｖｉｃｔｉｍ", " victim "):  # full-width letters normalise to the same login
        res = client.post("/api/auth/login", json={"login": spelling, "password": "victim-password-1"})
        assert res.status_code == 429, spelling
        assert int(res.headers["retry-after"]) > 0


def test_one_address_cannot_guess_across_many_logins(make_settings, client_for):
    client = client_for(make_settings(login_failures_per_address="10/15minutes"))
    for i in range(10):
        assert client.post("/api/auth/login", json={"login": f"user{i}", "password": "guess"}).status_code == 401
    res = client.post("/api/auth/login", json={"login": "agent", "password": "agent-demo"})
    assert res.status_code == 429 and "try again" in res.json()["detail"]


def test_a_reset_ends_sessions_and_a_disabled_account_is_locked_out(make_settings, client_for):
    settings = make_settings()
    store = AuthStore(settings)
    store.create_account("boss", "boss-password-1", ["admin"])
    store.create_account("xiaowang", "xiaowang-pass-1", ["agent"])
    client = client_for(settings)
    admin, worker = login(client, "boss", "boss-password-1"), login(client, "xiaowang", "xiaowang-pass-1")
    reset = {"login": "xiaowang", "password": "another-pass-12", "roles": ["agent"]}
    assert client.post("/api/auth/accounts", json=reset, headers=admin).status_code == 200
    assert client.get("/api/auth/me", headers=worker).status_code == 401
    worker = login(client, "xiaowang", "another-pass-12")
    off = client.post("/api/auth/accounts/xiaowang/disable", headers=admin)
    assert off.status_code == 200 and off.json()["disabled"] is True
    assert client.get("/api/auth/me", headers=worker).status_code == 401
    again = client.post("/api/auth/login", json={"login": "xiaowang", "password": "another-pass-12"})
    assert again.status_code == 401
    assert client.post("/api/auth/accounts/xiaowang/enable", headers=admin).status_code == 200
    assert login(client, "xiaowang", "another-pass-12")
    assert client.post("/api/auth/accounts/nobody/disable", headers=admin).status_code == 404


def test_passwords_need_twelve_characters(make_settings, client_for):
    settings = make_settings()
    AuthStore(settings).create_account("boss", "boss-password-1", ["admin"])
    client = client_for(settings)
    admin = login(client, "boss", "boss-password-1")
    for short in ("a", "elevenchars"):
        res = client.post("/api/auth/accounts", json={"login": "x1", "password": short, "roles": ["agent"]},
                          headers=admin)
        assert res.status_code == 400 and "shorter than 12" in res.json()["detail"]
    ok = client.post("/api/auth/accounts", json={"login": "x1", "password": "twelve-chars", "roles": ["agent"]},
                     headers=admin)
    assert ok.status_code == 200


def test_kefu_accounts_sets_passwords_and_disables(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        monkeypatch.setattr(sys, "stdin", io.StringIO("fresh-agent-password\n"))
        assert kefu(["accounts", "add", "lily", "--role", "agent"]) == 0
        store = AuthStore(get_settings())
        token = store.issue_token("lily")
        monkeypatch.setattr(sys, "stdin", io.StringIO("second-agent-password\n"))
        assert kefu(["accounts", "passwd", "lily"]) == 0
        assert store.account_for_token(token) is None and store.verify("lily", "second-agent-password")
        assert kefu(["accounts", "disable", "lily"]) == 0
        assert store.verify("lily", "second-agent-password") is None
        capsys.readouterr()
        assert kefu(["accounts", "list"]) == 0
        listed = {a["login"]: a for a in json.loads(capsys.readouterr().out)}
        assert listed["lily"]["disabled"] is True
        monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
        assert kefu(["accounts", "passwd", "lily"]) == 2
        assert "shorter than 12" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
