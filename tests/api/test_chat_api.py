"""The chat API through FastAPI's TestClient: JSON turn, streamed turn, transcript, errors."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.settings import Settings


@pytest.fixture
def client(tmp_path) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path / "shop", demo_users=10, demo_orders=100)))


def test_health_and_openapi(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/chat" in paths and "/api/chat/stream" in paths


def test_chat_turn_has_the_interface_keys_and_continues(client):
    first = client.post("/api/chat", json={"session": "a1", "user": "demo", "message": "帮我查下订单368867462071"})
    assert first.status_code == 200
    body = first.json()
    for key in ("reply", "intent", "emotion", "state", "citations", "actions", "handoff"):
        assert key in body
    assert body["state"]["slots"]["order_id"] == "368867462071"
    second = client.post("/api/chat", json={"session": "a1", "user": "demo", "message": "到哪了"}).json()
    assert second["actions"][0]["args"]["order_id"] == "368867462071"


def test_streamed_turn_sends_chunks_then_the_final_turn(client):
    with client.stream("POST", "/api/chat/stream", json={"session": "a2", "user": "demo", "message": "你好"}) as r:
        events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: ")]
    assert events[0]["type"] == "chunk" and events[0]["text"]
    assert events[-1]["type"] == "final" and events[-1]["reply"] == events[0]["text"]


def test_transcript_endpoint_is_per_user(client):
    client.post("/api/chat", json={"session": "a3", "user": "demo", "message": "你好"})
    mine = client.get("/api/chat/a3/messages", params={"user": "demo"}).json()
    assert [m["role"] for m in mine["messages"]] == ["user", "assistant"]
    assert client.get("/api/chat/a3/messages", params={"user": "intruder"}).status_code == 404
    assert client.get("/api/chat/unknown/messages", params={"user": "demo"}).status_code == 404


@pytest.mark.parametrize(
    "payload",
    [{"session": "a4", "user": "demo"}, {"session": "a4", "user": "demo", "message": 5},
     {"session": "bad id!", "user": "demo", "message": "hi"}, {"session": "a4", "user": "demo", "message": "x" * 100_001}],
)
def test_malformed_requests_get_a_clear_4xx(client, payload):
    response = client.post("/api/chat", json=payload)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_another_users_session_is_refused(client):
    client.post("/api/chat", json={"session": "a5", "user": "demo", "message": "你好"})
    response = client.post("/api/chat", json={"session": "a5", "user": "other", "message": "你好"})
    assert response.status_code == 400
    assert "another user" in response.json()["detail"]


def test_policy_answers_fill_the_answer_cache_metrics(client):
    for session in ("m1", "m2"):
        client.post("/api/chat", json={"session": session, "user": "demo", "message": "退货运费谁出"})
    stats = client.get("/api/metrics").json()["answer_cache"]
    assert stats["lookups"] >= 2 and stats["hits"] >= 1
    assert stats["bytes"] > 0


def test_with_a_shopper_secret_only_signed_pages_speak_for_a_user(tmp_path):
    from app.shopper import mint

    settings = Settings(data_dir=tmp_path / "signed", demo_users=10, demo_orders=100, shopper_secret="s3cret")
    signed = TestClient(create_app(settings))
    turn = {"session": "g1", "user": "demo", "message": "你好"}
    assert signed.post("/api/chat", json=turn).status_code == 401
    assert signed.post("/api/chat", json={**turn, "token": mint("s3cret", "someone-else", 60)}).status_code == 401
    ok = signed.post("/api/chat", json={**turn, "token": mint("s3cret", "demo", 60)})
    assert ok.status_code == 200 and ok.json()["reply"]
    assert signed.get("/api/chat/g1/messages", params={"user": "demo"}).status_code == 401
    header = {"X-Shopper-Token": mint("s3cret", "demo", 60)}
    assert signed.get("/api/chat/g1/messages", params={"user": "demo"}, headers=header).status_code == 200
    assert signed.post("/api/chat/g1/rating", json={"rating": 9, "user": "demo"}).status_code == 401


def test_a_fault_while_handling_a_turn_is_told_in_words_and_the_session_goes_on(client, monkeypatch):
    import graph.generation.cases as cases
    from graph.reply import wording

    assert client.post("/api/chat", json={"session": "f1", "user": "demo", "message": "你好"}).status_code == 200

    def broken(*args, **kwargs):
        raise RuntimeError("injected fault")

    monkeypatch.setattr(cases, "narrow", broken)
    failed = client.post("/api/chat", json={"session": "f1", "user": "demo", "message": "退货运费谁出"})
    assert failed.status_code == 500
    assert failed.json()["error"] == "turn_failed" and failed.json()["reply"] == wording.text("turn_failed", "zh")
    english = client.post("/api/chat", json={"session": "f1", "user": "demo", "message": "who pays return postage?"})
    assert english.status_code == 500 and english.json()["reply"] == wording.text("turn_failed", "en")

    monkeypatch.undo()
    again = client.post("/api/chat", json={"session": "f1", "user": "demo", "message": "退货运费谁出"})
    assert again.status_code == 200 and "运费" in again.json()["reply"]
