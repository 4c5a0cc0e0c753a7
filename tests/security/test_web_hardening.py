"""Issue 16 #8, #10, #11, #12: ratings check the owner, cookie-authenticated writes check the Origin and
cookies are Secure over HTTPS, front matter has no YAML aliases, security headers on every page, and the
API schema and metrics need a login in production."""

from __future__ import annotations

import pytest
from sectools import STRONG, login, token


def test_only_the_conversations_shopper_can_rate_it(make_settings, client_for):
    client = client_for(make_settings())
    client.post("/api/chat", json={"session": "own", "user": "alice", "message": "你好"})
    assert client.post("/api/chat/own/rating", json={"rating": 0}).status_code == 422  # no user, no rating
    assert client.post("/api/chat/own/rating", json={"rating": 0, "user": "mallory"}).status_code == 404
    assert client.post("/api/chat/own/rating", json={"rating": 9, "user": "alice"}).status_code == 200


def test_production_ratings_need_the_owners_token(production, client_for):
    client = client_for(production)
    tok = token("demo", 600)
    client.post("/api/chat", json={"session": "pr", "user": "demo", "message": "你好", "token": tok})
    assert client.post("/api/chat/pr/rating", json={"rating": 1, "user": "demo"}).status_code == 401
    assert client.post("/api/chat/pr/rating", json={"rating": 9, "user": "demo", "token": tok}).status_code == 200


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null"])
def test_cookie_writes_from_another_site_are_refused(make_settings, client_for, origin):
    client = client_for(make_settings())
    assert client.post("/api/auth/login", json={"login": "agent", "password": "agent-demo"}).status_code == 200
    headers = {"Origin": origin} if origin else {}
    # body-less POSTs included: taking a ticket, logging out
    assert client.post("/api/console/heartbeat", headers=headers).status_code == 403
    assert client.post("/api/auth/logout", headers=headers).status_code == 403
    assert client.get("/api/auth/me").status_code == 200  # the session survived
    same = {"Origin": "http://testserver"}
    assert client.post("/api/console/heartbeat", headers=same).status_code == 200
    assert client.post("/api/console/heartbeat", headers={"Referer": "http://testserver/console"}).status_code == 200


def test_an_allowed_origin_may_send_cookie_writes(make_settings, client_for):
    client = client_for(make_settings(allowed_origins="https://admin.shop.example"))
    client.post("/api/auth/login", json={"login": "agent", "password": "agent-demo"})
    ok = client.post("/api/console/heartbeat", headers={"Origin": "https://admin.shop.example"})
    assert ok.status_code == 200


def test_cookies_are_secure_over_https_only(make_settings, client_for):
    settings = make_settings()
    https = client_for(settings, base_url="https://testserver")
    cookie = https.post("/api/auth/login", json={"login": "agent", "password": "agent-demo"}).headers["set-cookie"]
    assert "secure" in cookie.lower() and "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    plain = client_for(settings).post("/api/auth/login", json={"login": "agent", "password": "agent-demo"})
    assert "secure" not in plain.headers["set-cookie"].lower()


ALIAS_BOMB = """---
id: bomb
title: t
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
category: [*c,*c,*c,*c,*c,*c,*c,*c,*c]
---
正文
"""


def test_front_matter_with_yaml_aliases_is_refused(make_settings, client_for):
    client = client_for(make_settings())
    editor = login(client, "editor", "editor-demo")
    preview = client.post("/api/policies/_preview", json={"markdown": ALIAS_BOMB}, headers=editor).json()
    assert preview["valid"] is False and preview["code"] == "front_matter_alias" and "锚点" in preview["error"]
    harmless = "---\nid: tiny\ntitle: &t 标题\ncategory: *t\n---\n正文\n"
    published = client.post("/api/policies", json={"markdown": harmless}, headers={**editor, "Accept-Language": "en"})
    assert published.status_code == 400 and "anchors and aliases" in published.json()["detail"]["message"]


@pytest.mark.parametrize("path", ["/", "/editor", "/console", "/static/chat.js", "/healthz", "/api/auth/me",
                                  "/openapi.json", "/docs"])
def test_every_page_carries_the_security_headers(make_settings, client_for, path):
    res = client_for(make_settings()).get(path)
    csp = res.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert res.headers["x-content-type-options"] == "nosniff"
    assert res.headers["referrer-policy"] == "no-referrer"
    if path in ("/", "/editor", "/console"):
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_the_chat_page_may_be_framed_by_the_shop_when_configured(make_settings, client_for):
    client = client_for(make_settings(frame_ancestors="https://shop.example"))
    assert "frame-ancestors https://shop.example" in client.get("/").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in client.get("/editor").headers["content-security-policy"]


def test_production_puts_docs_schema_and_metrics_behind_a_login(production, client_for):
    client = client_for(production)
    for path in ("/docs", "/openapi.json", "/api/metrics", "/redoc"):
        assert client.get(path).status_code in (401, 404), path
    agent = login(client, "agent", STRONG["agent_password"])
    assert "/api/chat" in client.get("/openapi.json", headers=agent).json()["paths"]
    assert client.get("/api/metrics", headers=agent).status_code == 200
    assert "swagger" in client.get("/docs", headers=agent).text.lower()


def test_demo_mode_keeps_docs_and_metrics_open(make_settings, client_for):
    client = client_for(make_settings())
    assert client.get("/openapi.json").status_code == 200 and client.get("/api/metrics").status_code == 200
