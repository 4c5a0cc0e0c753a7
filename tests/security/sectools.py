"""Helpers of the security tests (a module of its own: every test folder has a `conftest`)."""

from __future__ import annotations

from fastapi.testclient import TestClient

SECRET = "s" * 40
STRONG = {"admin_password": "editor-strong-pass", "agent_password": "agent-strong-pass"}


def login(client: TestClient, name: str, password: str, **headers: str) -> dict[str, str]:
    """Log in; the bearer header of the session."""
    res = client.post("/api/auth/login", json={"login": name, "password": password}, headers=headers)
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['token']}"}


def token(user: str, ttl_s: float = 600, now: float | None = None) -> str:
    """A shopper token signed with SECRET (imported here so each test fails on its own, not at collection)."""
    from app.shopper import mint

    return mint(SECRET, user, ttl_s, now)
