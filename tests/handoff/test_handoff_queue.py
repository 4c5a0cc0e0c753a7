"""HandoffQueue: opening, ordering, capacity, taking, handing back, closing, no loops."""

from __future__ import annotations

import pytest

from app.settings import Settings
from graph.handoff import HandoffError, HandoffQueue, TicketConflict, TicketNotFound


class Clock:
    """A settable clock so waiting, heartbeats and cool-downs are tested without sleeping."""

    def __init__(self) -> None:
        self.now = 2_000_000.0

    def __call__(self) -> float:
        return self.now


def state(anger: float = 0.0, text: str = "我要转人工") -> dict:
    emotions = [{"label": "neutral", "intensity": 0.2, "turn": 1}]
    if anger:
        emotions.append({"label": "angry", "intensity": anger, "turn": 2})
    return {
        "messages": [
            {"role": "user", "content": "订单313021098954到哪了", "turn": 1},
            {"role": "assistant", "content": "您的包裹正在派送中。", "turn": 1},
            {"role": "user", "content": text, "turn": 2},
        ],
        "active_intent": "logistics_tracking",
        "slots": {"order_id": "313021098954"},
        "emotion_history": emotions,
        "unresolved_turns": 1,
    }


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def queue(settings: Settings, clock: Clock) -> HandoffQueue:
    q = HandoffQueue(settings, clock=clock)
    q.heartbeat("agent")
    return q


def test_open_is_idempotent_per_session(queue: HandoffQueue) -> None:
    first = queue.open_ticket("s1", "demo", "unresolved_turns", state())
    again = queue.open_ticket("s1", "demo", "explicit_request", state(), explicit=True)
    assert first["created"] is True and first["status"] == "queued" and first["position"] == 1
    assert again["created"] is False and again["ticket_id"] == first["ticket_id"]
    assert len(queue.queue()) == 1
    assert first["agents_online"] == 1


def test_ticket_keeps_context(queue: HandoffQueue) -> None:
    opened = queue.open_ticket("s1", "demo", "high_anger", state(anger=0.9))
    ticket = queue.ticket(opened["ticket_id"])
    assert ticket["slots"] == {"order_id": "313021098954"}
    assert [e["label"] for e in ticket["emotions"]] == ["neutral", "angry"]
    assert [m["role"] for m in ticket["transcript"]] == ["user", "assistant", "user"]
    assert ticket["intent"] == "logistics_tracking" and ticket["anger"] == 0.9
    assert "313021098954" in ticket["summary"]


def test_queue_is_ordered_by_urgency_then_wait(queue: HandoffQueue, clock: Clock) -> None:
    calm = queue.open_ticket("calm", "u1", "unresolved_turns", state())
    clock.now += 10
    angry = queue.open_ticket("angry", "u2", "high_anger", state(anger=0.95))
    clock.now += 10
    asked = queue.open_ticket("asked", "u3", "explicit_request", state(), explicit=True)
    order = [t["session_id"] for t in queue.queue()]
    assert order == ["angry", "asked", "calm"]
    assert queue.position("angry") == 1 and queue.position("calm") == 3
    # a long wait lifts the calm ticket above a fresh explicit ask, not above a fresh furious one
    clock.now += 15 * 60
    queue.open_ticket("fresh-ask", "u4", "explicit_request", state(), explicit=True)
    queue.open_ticket("fresh-angry", "u5", "high_anger", state(anger=0.95))
    order = [t["session_id"] for t in queue.queue()]
    assert order.index("fresh-angry") < order.index("calm") < order.index("fresh-ask")
    assert calm["ticket_id"] < angry["ticket_id"] < asked["ticket_id"]


def test_no_agent_online_gives_callback(settings: Settings, clock: Clock) -> None:
    q = HandoffQueue(settings, clock=clock)
    opened = q.open_ticket("s1", "demo", "explicit_request", state())
    assert opened["status"] == "callback" and opened["callback_reason"] == "no_agent_online"
    assert opened["position"] is None and opened["agents_online"] == 0
    q.heartbeat("agent")
    assert q.agents_online() == ["agent"]
    clock.now += 61
    assert q.agents_online() == []


def test_capacity_cap_turns_new_handoffs_into_callbacks(tmp_path, clock: Clock) -> None:
    q = HandoffQueue(Settings(data_dir=tmp_path, max_concurrent_handoffs=2), clock=clock)
    q.heartbeat("agent")
    a = q.open_ticket("a", "u", "unresolved_turns", state())
    b = q.open_ticket("b", "u", "unresolved_turns", state())
    c = q.open_ticket("c", "u", "unresolved_turns", state())
    assert [a["status"], b["status"], c["status"]] == ["queued", "queued", "callback"]
    assert c["callback_reason"] == "capacity"
    q.take(a["ticket_id"], "agent")
    assert q.open_ticket("d", "u", "unresolved_turns", state())["status"] == "callback"
    q.close(a["ticket_id"], "agent")
    assert q.open_ticket("e", "u", "unresolved_turns", state())["status"] == "queued"


def test_second_agent_cannot_take_a_held_ticket(queue: HandoffQueue) -> None:
    opened = queue.open_ticket("s1", "demo", "unresolved_turns", state())
    taken = queue.take(opened["ticket_id"], "alice")
    assert taken["status"] == "active" and taken["agent"] == "alice"
    assert queue.take(opened["ticket_id"], "alice")["agent"] == "alice"  # retry is harmless
    with pytest.raises(TicketConflict, match="already held by agent alice"):
        queue.take(opened["ticket_id"], "bob")
    with pytest.raises(TicketConflict, match="held by agent alice"):
        queue.release(opened["ticket_id"], "bob")
    with pytest.raises(TicketConflict, match="held by agent alice"):
        queue.close(opened["ticket_id"], "bob")
    assert queue.held_by("alice")[0]["ticket_id"] == opened["ticket_id"]
    assert queue.position("s1") is None


def test_release_and_close_end_the_ticket(queue: HandoffQueue) -> None:
    first = queue.open_ticket("s1", "demo", "unresolved_turns", state())
    queue.take(first["ticket_id"], "agent")
    returned = queue.release(first["ticket_id"], "agent")
    assert returned["status"] == "returned" and queue.active_for("s1") is None
    with pytest.raises(TicketConflict, match="is returned: it cannot be taken"):
        queue.take(first["ticket_id"], "agent")
    other = queue.open_ticket("s2", "demo", "explicit_request", state())
    with pytest.raises(TicketConflict, match="take it before handing it back"):
        queue.release(other["ticket_id"], "agent")
    closed = queue.close(other["ticket_id"], "agent")  # e.g. a callback done by phone
    assert closed["status"] == "closed" and closed["agent"] == "agent"
    with pytest.raises(TicketConflict, match="already closed"):
        queue.close(other["ticket_id"], "agent")


def test_no_loop_after_close(queue: HandoffQueue, clock: Clock) -> None:
    first = queue.open_ticket("s1", "demo", "high_anger", state(anger=0.9))
    queue.take(first["ticket_id"], "agent")
    queue.close(first["ticket_id"], "agent")
    clock.now += 5
    again = queue.open_ticket("s1", "demo", "high_anger", state(anger=0.9))
    assert again["status"] == "declined" and again["created"] is False
    assert queue.active_for("s1") is None and queue.queue() == []
    asked = queue.open_ticket("s1", "demo", "explicit_request", state(), explicit=True)
    assert asked["created"] is True and asked["status"] == "queued"
    queue.take(asked["ticket_id"], "agent")
    queue.release(asked["ticket_id"], "agent")
    clock.now += queue.cooldown_s + 1
    later = queue.open_ticket("s1", "demo", "high_anger", state(anger=0.9))
    assert later["created"] is True


def test_bad_input_is_refused_clearly(queue: HandoffQueue) -> None:
    with pytest.raises(HandoffError, match="session_id is empty"):
        queue.open_ticket("  ", "demo", "unresolved_turns", state())
    with pytest.raises(HandoffError, match="reason is empty"):
        queue.open_ticket("s1", "demo", "", state())
    with pytest.raises(HandoffError, match="control characters"):
        queue.open_ticket("s\x00", "demo", "unresolved_turns", state())
    with pytest.raises(TicketNotFound):
        queue.take(999, "agent")
    with pytest.raises(TicketNotFound):
        queue.ticket("abc")  # type: ignore[arg-type]
    odd = queue.open_ticket(
        "s1", None, "unresolved_turns", {"messages": "garbage", "emotion_history": [1, None]}
    )
    assert odd["created"] is True and odd["emotions"] == []
    assert queue.open_ticket("s2", "demo", "unresolved_turns", None)["created"] is True  # type: ignore[arg-type]


def test_queue_is_shared_between_instances(settings: Settings, queue: HandoffQueue) -> None:
    opened = queue.open_ticket("s1", "demo", "unresolved_turns", state())
    other_process = HandoffQueue(settings)
    assert other_process.active_for("s1")["ticket_id"] == opened["ticket_id"]


def test_reason_aliases_share_one_cool_down(queue: HandoffQueue) -> None:
    first = queue.open_ticket("s1", "demo", "anger_complaint", state(anger=0.9))
    assert first["reason"] == "high_anger" and first["reason_label"] == "客户情绪激动"
    queue.close(first["ticket_id"], "agent")
    assert queue.open_ticket("s1", "demo", "high_anger", state(anger=0.9))["status"] == "declined"
    unknown = queue.open_ticket("s2", "demo", "store_outage", state())
    assert unknown["created"] is True and unknown["reason_label"] == "store_outage"


def test_ticket_of_an_agent_who_left_goes_back_to_the_queue(queue: HandoffQueue, clock: Clock) -> None:
    opened = queue.open_ticket("s1", "demo", "explicit_request", state())
    queue.heartbeat("alice")
    queue.take(opened["ticket_id"], "alice")
    clock.now += 120
    queue.heartbeat("bob")
    assert queue.requeue_abandoned() == []  # alice is quiet, but not for long enough
    clock.now += 200
    assert queue.requeue_abandoned() == [opened["ticket_id"]]
    back = queue.ticket(opened["ticket_id"])
    assert back["status"] == "queued" and back["agent"] is None
    assert queue.take(opened["ticket_id"], "bob")["agent"] == "bob"


def test_concurrent_takes_and_opens_have_one_winner(settings: Settings, queue: HandoffQueue) -> None:
    from concurrent.futures import ThreadPoolExecutor

    opened = queue.open_ticket("s1", "demo", "explicit_request", state())

    def take(agent: str) -> str:
        try:
            return HandoffQueue(settings).take(opened["ticket_id"], agent)["agent"]
        except TicketConflict:
            return "refused"

    def open_same(_: int) -> int:
        return HandoffQueue(settings).open_ticket("s2", "demo", "unresolved_turns", state())["ticket_id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(take, [f"agent{i}" for i in range(8)]))
        ids = set(pool.map(open_same, range(8)))
    assert results.count("refused") == 7
    assert len(ids) == 1
