"""The pilot over HTTP: staff read it, only an admin changes it, under the admin's login in the audit."""

from __future__ import annotations

import pytest

from app.auth import AuthStore


@pytest.fixture
def admin(shop, client, login) -> dict[str, str]:
    """Bearer headers of an admin account (the demo editor is not an admin)."""
    AuthStore(shop).create_account("lead", "lead-password-2026", ["admin"])
    return login("lead", "lead-password-2026")


def test_staff_read_the_pilot_and_only_an_admin_changes_it(client, login, admin):
    client.cookies.clear()  # logging in also set a cookie: this request has no login at all
    assert client.get("/api/pilot").status_code == 401
    shown = client.get("/api/pilot", headers=login("agent")).json()
    assert shown["default"] == {"mode": "bot"} and "fresh" in shown["known_categories"]

    assert client.get("/api/pilot", headers=login("editor")).status_code == 200
    change = {"category": "fresh", "mode": "human"}
    for staff in ("agent", "editor"):
        assert client.post("/api/pilot", json=change, headers=login(staff)).status_code == 403
    answer = client.post("/api/pilot", json=change, headers=admin)
    assert answer.status_code == 200 and answer.json()["categories"]["fresh"] == {"mode": "human"}
    split = client.post("/api/pilot", json={"default": True, "mode": "split", "share": 0.2}, headers=admin)
    assert split.json()["default"] == {"mode": "split", "share": 0.2}

    history = client.get("/api/pilot/history", headers=login("agent")).json()
    assert [(h["actor"], h["category"]) for h in history] == [("lead", "default"), ("lead", "fresh")]


def test_bad_changes_are_422_with_the_reason_and_change_nothing(client, admin):
    editor = admin
    for body, reason in [({"category": "fresh", "mode": "robot"}, "mode must be"),
                         ({"category": "fresh", "default": True, "mode": "bot"}, "one category or"),
                         ({"mode": "bot"}, "one category or"),
                         ({"category": "books", "mode": "split", "share": -0.1}, "share must be"),
                         ({"category": "groceries", "mode": "human"}, "unknown category")]:
        answer = client.post("/api/pilot", json=body, headers=editor)
        assert answer.status_code == 422 and reason in answer.json()["detail"], body
    assert client.get("/api/pilot", headers=editor).json()["categories"] == {}
