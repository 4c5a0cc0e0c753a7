"""The agent console's JSON API through the real app: access control, queue, take/close conflicts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.auth import AuthStore
from app.settings import Settings
from graph.handoff import HandoffQueue

CONSOLE_CALLS = [
    ("GET", "/api/console/queue"),
    ("POST", "/api/console/heartbeat"),
    ("GET", "/api/console/tickets/1"),
    ("POST", "/api/console/tickets/1/take"),
    ("POST", "/api/console/tickets/1/release"),
    ("POST", "/api/console/tickets/1/close"),
]


def login(client: TestClient, user: str, password: str) -> dict[str, str]:
    res = client.post("/api/auth/login", json={"login": user, "password": password})
    assert res.status_code == 200, res.text
    client.cookies.clear()  # each test call names its agent through the bearer header
    return {"Authorization": f"Bearer {res.json()['token']}"}


@pytest.fixture()
def client(settings: Settings, make_client) -> TestClient:
    return make_client(settings)


def test_console_page_is_served(client: TestClient) -> None:
    res = client.get("/console")
    assert res.status_code == 200 and 'id="login-form"' in res.text


def test_console_api_is_for_agents_only(client: TestClient, settings: Settings) -> None:
    AuthStore(settings).create_account("writer", "writer-password", ["editor"])
    writer = login(client, "writer", "writer-password")
    for method, path in CONSOLE_CALLS:
        assert client.request(method, path).status_code == 401, path
        assert client.request(method, path, headers=writer).status_code == 403, path
    message = {"text": "你好"}
    assert client.post("/api/console/tickets/1/message", json=message).status_code == 401
    assert client.post("/api/console/tickets/1/message", json=message, headers=writer).status_code == 403


def test_queue_take_conflict_and_close(client: TestClient, settings: Settings) -> None:
    AuthStore(settings).create_account("bob", "pw-bob-long-enough", ["agent"])
    alice = login(client, "agent", "agent-demo")
    bob = login(client, "bob", "pw-bob-long-enough")
    assert client.post("/api/console/heartbeat", headers=alice).json()["agents_online"] == ["agent"]
    queue = HandoffQueue(settings)
    calm = queue.open_ticket("phone-1", "u1", "unresolved_turns", {"slots": {"order_id": "123456789"}})
    angry = queue.open_ticket(
        "phone-2", "u2", "high_anger", {"emotion_history": [{"label": "angry", "intensity": 0.9, "turn": 1}]}
    )
    listed = client.get("/api/console/queue", headers=bob).json()
    assert [t["ticket_id"] for t in listed["queue"]] == [angry["ticket_id"], calm["ticket_id"]]
    assert sorted(listed["agents_online"]) == ["agent", "bob"]

    taken = client.post(f"/api/console/tickets/{calm['ticket_id']}/take", headers=alice)
    assert taken.status_code == 200 and taken.json()["agent"] == "agent" and taken.json()["live"] is False
    refused = client.post(f"/api/console/tickets/{calm['ticket_id']}/take", headers=bob)
    assert refused.status_code == 409 and "already held by agent agent" in refused.json()["detail"]
    assert client.get("/api/console/queue", headers=alice).json()["mine"][0]["ticket_id"] == calm["ticket_id"]

    # no chat behind this ticket (e.g. a callback from the phone line): a clear error, not a crash
    sent = client.post(
        f"/api/console/tickets/{calm['ticket_id']}/message", json={"text": "您好"}, headers=alice
    )
    assert sent.status_code == 400 and "no live chat" in sent.json()["detail"]
    by_bob = client.post(
        f"/api/console/tickets/{calm['ticket_id']}/message", json={"text": "hi"}, headers=bob
    )
    assert by_bob.status_code == 409
    assert client.post(f"/api/console/tickets/{calm['ticket_id']}/close", headers=bob).status_code == 409
    closed = client.post(f"/api/console/tickets/{calm['ticket_id']}/close", headers=alice)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"/api/console/tickets/{calm['ticket_id']}/close", headers=alice).status_code == 409


def test_bad_ids_and_messages(client: TestClient) -> None:
    alice = login(client, "agent", "agent-demo")
    assert client.get("/api/console/tickets/999", headers=alice).status_code == 404
    assert client.get("/api/console/tickets/abc", headers=alice).status_code == 422
    assert client.post("/api/console/tickets/999/take", headers=alice).status_code == 404
    for body in ({"text": ""}, {"text": "x" * 2001}, {}, {"text": 5}):
        assert client.post("/api/console/tickets/1/message", json=body, headers=alice).status_code == 422
    blank = client.post("/api/console/tickets/999/message", json={"text": " \x00 "}, headers=alice)
    assert blank.status_code == 400 and "empty" in blank.json()["detail"]
