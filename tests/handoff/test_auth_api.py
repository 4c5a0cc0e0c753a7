"""Login/logout endpoints and role checks through the real FastAPI app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.testclient import TestClient

from app.api.security import require_role
from app.auth import Account, AuthStore
from app.settings import Settings


def _client_with_probes(settings: Settings, make_client) -> TestClient:
    client = make_client(settings)

    @client.app.get("/probe/editor")
    def editor_probe(account: Annotated[Account, Depends(require_role("editor"))]) -> dict:
        return {"login": account.login}

    @client.app.get("/probe/agent")
    def agent_probe(account: Annotated[Account, Depends(require_role("agent"))]) -> dict:
        return {"login": account.login}

    return client


def _login(client: TestClient, login: str, password: str) -> str:
    res = client.post("/api/auth/login", json={"login": login, "password": password})
    assert res.status_code == 200, res.text
    return res.json()["token"]


def test_login_sets_cookie_and_token_works(settings: Settings, make_client) -> None:
    client = _client_with_probes(settings, make_client)
    res = client.post("/api/auth/login", json={"login": "agent", "password": "agent-demo"})
    assert res.status_code == 200
    body = res.json()
    assert body["roles"] == ["agent"] and body["token"]
    assert "httponly" in res.headers["set-cookie"].lower()
    assert client.get("/probe/agent").status_code == 200  # cookie
    fresh = TestClient(client.app)
    assert fresh.get("/probe/agent").status_code == 401
    bearer = {"Authorization": f"Bearer {body['token']}"}
    assert fresh.get("/probe/agent", headers=bearer).json() == {"login": "agent"}


def test_wrong_password_and_unknown_user(settings: Settings, make_client) -> None:
    client = _client_with_probes(settings, make_client)
    for creds in ({"login": "agent", "password": "nope"}, {"login": "ghost", "password": "agent-demo"}):
        res = client.post("/api/auth/login", json=creds)
        assert res.status_code == 401
        assert res.json()["detail"] == "wrong login or password"
    assert client.post("/api/auth/login", json={"login": "", "password": ""}).status_code == 422
    assert client.post("/api/auth/login", content=b"{not json").status_code == 422


def test_roles_are_enforced(settings: Settings, make_client) -> None:
    client = _client_with_probes(settings, make_client)
    agent = {"Authorization": f"Bearer {_login(client, 'agent', 'agent-demo')}"}
    editor = {"Authorization": f"Bearer {_login(client, 'editor', 'editor-demo')}"}
    assert client.get("/probe/editor", headers=agent).status_code == 403
    assert client.get("/probe/agent", headers=agent).status_code == 200
    assert client.get("/probe/editor", headers=editor).status_code == 200
    AuthStore(settings).create_account("writer", "writer-password", ["editor"])
    writer = {"Authorization": f"Bearer {_login(client, 'writer', 'writer-password')}"}
    assert client.get("/probe/agent", headers=writer).status_code == 403


def test_shopper_without_token_is_kept_out(settings: Settings, make_client) -> None:
    client = _client_with_probes(settings, make_client)
    for path in ("/probe/editor", "/probe/agent", "/api/auth/me"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer forged"}).status_code == 401
        assert client.get(path, headers={"Authorization": "Basic abc"}).status_code == 401


def test_logout_revokes_token(settings: Settings, make_client) -> None:
    client = _client_with_probes(settings, make_client)
    token = _login(client, "agent", "agent-demo")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/auth/me", headers=headers).json()["login"] == "agent"
    assert client.post("/api/auth/logout", headers=headers).json()["revoked"] is True
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    assert client.get("/probe/agent").status_code == 401  # cookie cleared / revoked too


def test_login_is_throttled_after_wrong_passwords(settings: Settings, make_client) -> None:
    client = make_client(settings)
    for _ in range(5):
        assert client.post("/api/auth/login", json={"login": "agent", "password": "x"}).status_code == 401
    res = client.post("/api/auth/login", json={"login": "agent", "password": "agent-demo"})
    assert (
        res.status_code == 429 and "try again" in res.json()["detail"] and int(res.headers["retry-after"]) > 0
    )


def test_admin_manages_accounts(settings: Settings, make_client) -> None:
    client = make_client(settings)
    AuthStore(settings).create_account("boss", "boss-password-1", ["admin"])
    admin = {"Authorization": f"Bearer {_login(client, 'boss', 'boss-password-1')}"}
    agent = {"Authorization": f"Bearer {_login(client, 'agent', 'agent-demo')}"}
    client.cookies.clear()
    new = {"login": "xiaowang", "password": "pw-123456-long", "roles": ["agent"]}
    assert client.post("/api/auth/accounts", json=new).status_code == 401
    assert client.post("/api/auth/accounts", json=new, headers=agent).status_code == 403
    made = client.post("/api/auth/accounts", json=new, headers=admin)
    assert made.status_code == 200 and made.json() == {"login": "xiaowang", "roles": ["agent"]}
    bad = client.post("/api/auth/accounts", json={**new, "roles": ["root"]}, headers=admin)
    assert bad.status_code == 400 and "unknown role" in bad.json()["detail"]
    logins = [a["login"] for a in client.get("/api/auth/accounts", headers=admin).json()["accounts"]]
    assert logins == ["agent", "boss", "editor", "xiaowang"]
    assert _login(client, "xiaowang", "pw-123456-long")
