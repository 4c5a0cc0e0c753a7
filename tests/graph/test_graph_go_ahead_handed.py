"""Issue 21, a commitment when the customer says go ahead: with a person on the case (a callback ticket open),
"行 办吧" is told the ticket has it and they will hear back, not "nothing is waiting for your confirmation";
with nobody on it, a stray "确认" still gets that. Scripted, state and reply after each turn."""

from __future__ import annotations


def test_go_ahead_with_a_ticket_open_is_a_commitment(talk):
    ticket = talk("转人工")
    assert ticket["handoff"]["active"] is True
    go = talk("行 办吧")
    assert "没有需要您确认" not in go["reply"]
    assert "工单" in go["reply"] and "联系您" in go["reply"]
    assert go["handoff"]["active"] is True


def test_a_stray_confirm_with_nobody_on_it_is_still_said_plainly(talk):
    talk("你好")
    stray = talk("确认")
    assert "没有需要您确认" in stray["reply"]
