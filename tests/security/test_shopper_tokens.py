"""Issue 16 #5 and #9: shopper tokens expire, travel in the body or a header (never the URL), stay out of
the access log, and a malformed or non-ASCII token is a 401, never a 500."""

from __future__ import annotations

import time

import httpx
import pytest
from sectools import SECRET, token

from app.cli import main as kefu
from app.settings import get_settings


def test_a_token_carries_its_expiry():
    from app.shopper import mint, valid

    token = mint(SECRET, "demo", 60, now=1_000_000)
    assert valid(SECRET, "demo", token, now=1_000_059)
    assert not valid(SECRET, "demo", token, now=1_000_060)
    assert not valid(SECRET, "other", token, now=1_000_000)
    assert not valid("another-secret" * 3, "demo", token, now=1_000_000)
    forged = token.replace(token.split(".")[1], str(int(token.split(".")[1]) + 86400))
    assert not valid(SECRET, "demo", forged, now=1_000_000)  # a later expiry breaks the signature


@pytest.fixture
def signed(make_settings, client_for):
    return client_for(make_settings(shopper_secret=SECRET))


def test_an_expired_token_is_refused(signed):
    turn = {"session": "t1", "user": "demo", "message": "你好"}
    stale = token("demo", 60, now=time.time() - 3600)
    assert signed.post("/api/chat", json={**turn, "token": stale}).status_code == 401
    assert signed.post("/api/chat", json={**turn, "token": token("demo", 60)}).status_code == 200


def test_a_token_in_the_url_is_not_accepted(signed):
    tok = token("demo", 600)
    signed.post("/api/chat", json={"session": "t2", "user": "demo", "message": "你好", "token": tok})
    in_url = signed.get("/api/chat/t2/messages", params={"user": "demo", "token": tok})
    assert in_url.status_code == 401
    in_header = signed.get("/api/chat/t2/messages", params={"user": "demo"}, headers={"X-Shopper-Token": tok})
    assert in_header.status_code == 200 and len(in_header.json()["messages"]) == 2


@pytest.mark.parametrize("token", ["令牌", "ｖ1.9999999999." + "a" * 64, "v1.99.zz", "v1." + "9" * 500, "", "Bearer x"])
def test_a_malformed_token_is_a_401(signed, token):
    body = {"session": "t3", "user": "demo", "message": "你好", "token": token}
    res = signed.post("/api/chat", json=body)
    assert res.status_code in (401, 422), res.text
    rating = signed.post("/api/chat/t3/rating", json={"rating": 5, "user": "demo", "token": token[:200]})
    assert rating.status_code == 401


def test_a_non_ascii_token_header_is_a_401(signed):
    res = signed.get("/api/chat/t4/messages", params={"user": "demo"}, headers={"X-Shopper-Token": "tök€n".encode()})
    assert res.status_code == 401


def test_kefu_shopper_token_mints_what_the_chat_api_accepts(monkeypatch, capsys, make_settings, client_for):
    monkeypatch.setenv("KEFU_SHOPPER_SECRET", SECRET)
    get_settings.cache_clear()
    try:
        assert kefu(["shopper-token", "--user", "demo", "--ttl-s", "120"]) == 0
        token = capsys.readouterr().out.strip()
        assert kefu(["shopper-token", "--user", "bad user!"]) == 2
        assert "invalid user" in capsys.readouterr().err
        monkeypatch.delenv("KEFU_SHOPPER_SECRET")
        get_settings.cache_clear()
        assert kefu(["shopper-token", "--user", "demo"]) == 2
        assert "KEFU_SHOPPER_SECRET" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
    client = client_for(make_settings(shopper_secret=SECRET))
    res = client.post("/api/chat", json={"session": "t5", "user": "demo", "message": "你好", "token": token})
    assert res.status_code == 200
    expires = int(token.split(".")[1])
    assert time.time() + 100 < expires <= time.time() + 121


@pytest.mark.slow
def test_a_token_in_a_url_never_reaches_the_access_log(tmp_path, monkeypatch, serve_kefu):
    monkeypatch.setenv("KEFU_SHOPPER_SECRET", SECRET)
    base = serve_kefu(tmp_path / "shop")
    tok = token("demo", 600)
    assert httpx.get(f"{base}/api/chat/nope/messages?user=demo&token={tok}").status_code == 401
    assert httpx.post(f"{base}/api/auth/login?password=hunter2-hunter2",
                      json={"login": "x", "password": "y"}).status_code == 401
    time.sleep(0.5)
    log = (tmp_path / "server-0.log").read_text(errors="replace")
    assert "/api/chat/nope/messages?user=demo&token=***" in log
    assert tok not in log and tok.split(".")[2] not in log and "hunter2" not in log
