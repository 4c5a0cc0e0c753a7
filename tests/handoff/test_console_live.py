"""The live chat bridge through the real app and conversation service: customer asks for a human,
the agent takes over, messages cross both ways, hand back, close, no loop, and ratings."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.auth import AuthStore
from app.settings import Settings


def login(client: TestClient, user: str = "agent", password: str = "agent-demo") -> dict[str, str]:
    res = client.post("/api/auth/login", json={"login": user, "password": password})
    assert res.status_code == 200, res.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {res.json()['token']}"}


def say(client: TestClient, text: str, session: str = "s1") -> dict:
    res = client.post("/api/chat", json={"session": session, "user": "demo", "message": text})
    assert res.status_code == 200, res.text
    return res.json()


def transcript(client: TestClient, session: str = "s1") -> list[dict]:
    return client.get(f"/api/chat/{session}/messages", params={"user": "demo"}).json()["messages"]


@pytest.fixture()
def client(settings: Settings, make_client) -> TestClient:
    return make_client(settings)


def _hand_over(client: TestClient, agent: dict[str, str]) -> int:
    client.post("/api/console/heartbeat", headers=agent)
    say(client, "我的快递到哪了")
    turn = say(client, "转人工")
    assert turn["handoff"]["active"] is True and turn["handoff"]["status"] == "queued"
    queue = client.get("/api/console/queue", headers=agent).json()["queue"]
    assert [t["session_id"] for t in queue] == ["s1"] and queue[0]["reason"] == "explicit_request"
    return queue[0]["ticket_id"]


def test_agent_takes_over_and_hands_back(client: TestClient) -> None:
    agent = login(client)
    ticket_id = _hand_over(client, agent)
    detail = client.post(f"/api/console/tickets/{ticket_id}/take", headers=agent).json()
    assert detail["live"] is True and "转人工" in [m["content"] for m in detail["transcript"]]
    assert "物流查询" in detail["summary"]
    assert transcript(client)[-1]["role"] == "agent"  # "人工客服agent正在为您服务。"

    sent = client.post(
        f"/api/console/tickets/{ticket_id}/message", json={"text": "您好，我来帮您查"}, headers=agent
    )
    assert sent.status_code == 200
    assert transcript(client)[-1] == {
        "role": "agent",
        "content": "您好，我来帮您查",
        "turn": 2,
        "agent": "agent",
        "seq": 6,  # its place in the whole conversation
    }

    held = say(client, "订单号313021098954")
    assert held["reply"] == "" and held["handoff"]["agent"] == "agent"  # the bot stays quiet
    live = client.get(f"/api/console/tickets/{ticket_id}", headers=agent).json()["transcript"]
    assert live[-1]["role"] == "user" and "313021098954" in live[-1]["content"]

    back = client.post(f"/api/console/tickets/{ticket_id}/release", headers=agent).json()
    assert back["status"] == "returned"
    lines = client.get("/api/chat/s1/messages", params={"user": "demo"}).json()
    assert lines["handoff"]["active"] is False and "转回" in lines["messages"][-1]["content"]
    answered = say(client, "我的快递到哪了")
    assert answered["reply"] and answered["handoff"]["active"] is False
    assert client.get("/api/console/queue", headers=agent).json()["queue"] == []


def test_close_invites_rating_and_does_not_loop(client: TestClient) -> None:
    agent = login(client)
    ticket_id = _hand_over(client, agent)
    client.post(f"/api/console/tickets/{ticket_id}/take", headers=agent)
    closed = client.post(f"/api/console/tickets/{ticket_id}/close", headers=agent).json()
    assert closed["status"] == "closed" and "打分" in transcript(client)[-1]["content"]
    after = say(client, "好的谢谢")
    assert after["handoff"]["active"] is False and after["reply"]
    assert client.get("/api/console/queue", headers=agent).json()["queue"] == []
    again = say(client, "转人工")  # an explicit ask still reaches a person
    assert again["handoff"]["active"] is True


def test_rating_api(client: TestClient) -> None:
    say(client, "你好")
    first = client.post("/api/chat/s1/rating", json={"rating": 4, "comment": "一般", "user": "demo"})
    assert first.status_code == 200 and first.json()["replaced"] is False
    second = client.post("/api/chat/s1/rating", json={"rating": 9, "user": "demo"})
    assert second.status_code == 200 and second.json()["replaced"] is True
    for bad in (
        {"rating": 11},
        {"rating": -1},
        {"rating": 7.5},
        {"rating": "7"},
        {},
        {"rating": 5, "comment": "x" * 1001},
        {"rating": 5},  # no user: nobody can be checked as the conversation's owner
    ):
        assert client.post("/api/chat/s1/rating", json=bad).status_code == 422, bad
    assert client.post("/api/chat/nobody/rating", json={"rating": 5, "user": "demo"}).status_code == 404
    assert client.post("/api/chat/s1/rating", json={"rating": 5, "user": "mallory"}).status_code == 404
    assert client.post("/api/chat/bad%20id/rating", json={"rating": 5, "user": "demo"}).status_code == 400

    assert client.get("/api/ratings").status_code == 401
    agent = login(client)
    assert client.get("/api/ratings", params={"below": 8}, headers=agent).json()["ratings"] == []
    rows = client.get("/api/ratings", headers=agent).json()["ratings"]
    assert [(r["session_id"], r["rating"]) for r in rows] == [("s1", 9)]
    say(client, "你好", session="s2")
    client.post("/api/chat/s2/rating", json={"rating": 2, "comment": "没解决", "user": "demo"})
    low = client.get("/api/ratings", params={"below": 8}, headers=agent).json()["ratings"]
    assert [(r["session_id"], r["comment"]) for r in low] == [("s2", "没解决")]
    editor = login(client, "editor", "editor-demo")  # the first editor is not an admin (unless configured)
    assert client.get("/api/ratings", headers=editor).status_code == 403
    AuthStore(client.app.state.settings).create_account("boss", "boss-password-1", ["admin"])
    assert client.get("/api/ratings", headers=login(client, "boss", "boss-password-1")).status_code == 200


def test_anger_handoff_does_not_loop_after_close(client: TestClient) -> None:
    agent = login(client)
    client.post("/api/console/heartbeat", headers=agent)
    first = say(client, "你们这什么破服务，我要投诉！气死我了！！")
    assert first["handoff"]["active"] is True and first["handoff"]["reason"] == "high_anger"
    ticket_id = first["handoff"]["ticket_id"]
    client.post(f"/api/console/tickets/{ticket_id}/take", headers=agent)
    client.post(f"/api/console/tickets/{ticket_id}/close", headers=agent)
    for _ in range(2):  # still furious right after the close: the bot answers, no new ticket
        again = say(client, "垃圾客服，气死我了，我要投诉你们！！！")
        assert again["handoff"]["active"] is False and again["reply"]
    assert client.get("/api/console/queue", headers=agent).json()["queue"] == []
