"""A waiting ticket collects the conversation's later messages for the agent who calls back."""

from __future__ import annotations

import pytest

from app.settings import Settings
from graph.handoff import HandoffQueue, TicketConflict, TicketNotFound


def _opened(queue: HandoffQueue) -> int:
    state = {"messages": [{"role": "user", "content": "转人工", "turn": 1}], "slots": {}}
    return int(queue.open_ticket("s1", "demo", "explicit_request", state)["ticket_id"])


def test_later_messages_are_appended_in_order(settings: Settings) -> None:
    queue = HandoffQueue(settings)
    ticket_id = _opened(queue)
    queue.append_messages(ticket_id, [{"role": "user", "content": "退货运费谁出", "turn": 2},
                                      {"role": "assistant", "content": "无理由退货运费由买家承担。", "turn": 2}])
    queue.append_messages(ticket_id, [{"role": "user", "content": "好的", "turn": 3}, "not a message"])
    transcript = queue.ticket(ticket_id)["transcript"]
    assert [m["content"] for m in transcript] == ["转人工", "退货运费谁出", "无理由退货运费由买家承担。", "好的"]
    assert [m["turn"] for m in transcript] == [1, 2, 2, 3]


def test_an_ended_or_unknown_ticket_takes_nothing(settings: Settings) -> None:
    queue = HandoffQueue(settings)
    ticket_id = _opened(queue)
    queue.close(ticket_id, "agent1")
    with pytest.raises(TicketConflict):
        queue.append_messages(ticket_id, [{"role": "user", "content": "还在吗", "turn": 4}])
    assert [m["content"] for m in queue.ticket(ticket_id)["transcript"]] == ["转人工"]
    with pytest.raises(TicketNotFound):
        queue.append_messages(999, [{"role": "user", "content": "x", "turn": 1}])
