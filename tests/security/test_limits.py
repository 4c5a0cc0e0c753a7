"""Issue 16 #6 and #7: bounded bodies, 422 without the input, bounded conversation state and checkpoints
(the whole transcript still served), and rate limits per shopper and per address with a clear 429."""

from __future__ import annotations

import asyncio
import sqlite3

from sectools import login

from app.api.main import create_app
from app.service import get_service

WINDOW = 40
"""graph.state.WINDOW"""


def test_an_oversized_body_is_refused_before_it_is_read(make_settings):
    app = create_app(make_settings())
    calls, sent = [], []

    async def receive():
        calls.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": len(calls) < 40}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/chat", "raw_path": b"/api/chat", "query_string": b"",
             "headers": [(b"content-type", b"application/json"), (b"content-length", b"180000000"),
                         (b"host", b"testserver")], "http_version": "1.1", "scheme": "http",
             "client": ("1.2.3.4", 5), "server": ("testserver", 80), "root_path": ""}
    asyncio.run(app(scope, receive, send))
    assert calls == []  # not one byte read
    assert sent[0]["status"] == 413
    assert b"larger than 65536 bytes" in sent[1]["body"]


def test_an_oversized_body_without_a_length_is_cut_off(make_settings, client_for):
    client = client_for(make_settings())

    def chunks():
        for _ in range(100):
            yield b"x" * 4096

    res = client.post("/api/chat", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413 and "larger than" in res.json()["detail"]
    big = client.post("/api/chat", json={"session": "b1", "user": "demo", "message": "字" * 30_000})
    assert big.status_code == 413


def test_validation_errors_do_not_echo_the_input(make_settings, client_for):
    client = client_for(make_settings())
    res = client.post("/api/chat", json={"session": ["秘" * 20_000], "user": "demo", "message": "hi",
                                         "k" * 5000: 1})
    assert res.status_code == 422
    assert "秘" not in res.text and len(res.text) < 2000
    assert res.json()["detail"][0]["loc"] == ["body", "session"]


def _checkpoints(settings, session: str) -> list[int]:
    with sqlite3.connect(settings.checkpoint_path) as conn:
        rows = conn.execute("SELECT length(checkpoint) FROM checkpoints WHERE thread_id=? ORDER BY checkpoint_id",
                            (session,)).fetchall()
    return [int(r[0]) for r in rows]


def test_a_long_conversation_keeps_bounded_state_but_the_whole_transcript(make_settings, client_for):
    settings = make_settings(turn_limit_per_user="", turn_limit_per_address="")
    client = client_for(settings)
    sizes = {}
    for turn in range(1, 46):
        res = client.post("/api/chat", json={"session": "long", "user": "demo", "message": f"第{turn}个问题：" + "退货" * 400})
        assert res.status_code == 200
        if turn in (25, 45):
            sizes[turn] = _checkpoints(settings, "long")
    assert len(sizes[45]) <= 2  # old checkpoints pruned
    assert sizes[45][-1] <= sizes[25][-1] * 1.1  # a full window costs the same at turn 25 and turn 45
    state = get_service(settings).read_state("long")
    assert len(state["messages"]) == WINDOW
    lines = client.get("/api/chat/long/messages", params={"user": "demo"}).json()
    total = lines["next"]
    assert total >= 90 and [m["seq"] for m in lines["messages"]] == list(range(1, total + 1))
    assert lines["messages"][0]["content"].startswith("第1个问题")
    assert sum(m["role"] == "user" for m in lines["messages"]) == 45
    tail = client.get("/api/chat/long/messages", params={"user": "demo", "after": total - 2}).json()
    assert [m["seq"] for m in tail["messages"]] == [total - 1, total]


def test_the_console_sees_the_whole_conversation(make_settings, client_for):
    settings = make_settings(turn_limit_per_user="", turn_limit_per_address="")
    client = client_for(settings)
    for turn in range(25):
        client.post("/api/chat", json={"session": "c1", "user": "demo", "message": f"第{turn}句 你好"})
    handed = client.post("/api/chat", json={"session": "c1", "user": "demo", "message": "转人工"}).json()
    ticket = handed["handoff"]["ticket_id"]
    agent = login(client, "agent", "agent-demo")
    detail = client.get(f"/api/console/tickets/{ticket}", headers=agent).json()
    assert len(detail["transcript"]) > WINDOW
    assert detail["transcript"][0]["content"] == "第0句 你好"


def test_turns_are_limited_per_shopper_and_per_address(make_settings, client_for):
    client = client_for(make_settings(turn_limit_per_user="3/minute", turn_limit_per_address="5/minute"))

    def say(user: str, session: str):
        return client.post("/api/chat", json={"session": session, "user": user, "message": "你好"})

    assert [say("demo", "r1").status_code for _ in range(3)] == [200, 200, 200]
    refused = say("demo", "r1")
    assert refused.status_code == 429 and "too many messages" in refused.json()["detail"]
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert say("alice", "r2").status_code == 200  # another shopper, same address: 5th turn of the address
    assert say("bob", "r3").status_code == 429  # 6th turn of the address


def test_handoff_requests_are_limited(make_settings, client_for):
    client = client_for(make_settings(handoff_limit_per_user="1/hour", handoff_limit_per_address="3/hour"))

    def ask(user: str, session: str):
        return client.post("/api/chat", json={"session": session, "user": user, "message": "转人工"})

    assert ask("demo", "h1").json()["handoff"]["active"] is True
    assert ask("demo", "h1").status_code == 200  # the same ticket: not a new request
    second = ask("demo", "h2")
    assert second.status_code == 429 and "human agent" in second.json()["detail"]
    assert ask("alice", "h3").status_code == 200
    assert ask("carol", "h4").status_code == 429  # the address's 4th request (the refused one counts too)
    assert client.post("/api/chat", json={"session": "h2", "user": "demo", "message": "你好"}).status_code == 200


def test_a_streamed_handoff_over_the_limit_ends_in_a_429_event(make_settings, client_for):
    import json

    client = client_for(make_settings(handoff_limit_per_user="1/hour"))
    client.post("/api/chat", json={"session": "s1", "user": "demo", "message": "转人工"})
    with client.stream("POST", "/api/chat/stream", json={"session": "s2", "user": "demo", "message": "转人工"}) as r:
        events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: ")]
    assert events[-1]["type"] == "error" and events[-1]["status"] == 429
    lines = client.get("/api/chat/s2/messages", params={"user": "demo"}).json()
    assert lines["handoff"]["active"] is False  # no ticket; the customer's words are kept
    assert [(m["role"], m["content"]) for m in lines["messages"]] == [("user", "转人工")]
