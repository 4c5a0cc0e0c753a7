"""Issue 21, kefu's own offers: with the handoff offered, a demand for an errand only a person can run ("那你给我
补发", "reship it") or a yes that asks for speed ("好吧 尽快", "好 记得发啊") takes the offer; a resigned "行吧
那我等等" or a question ("能给我补发吗") does not. Scripted, state and reply after each turn."""

from __future__ import annotations

from graph import continuity


def test_which_messages_take_the_offer():
    for text in ("好吧 尽快", "好 记得发啊", "ok please hurry", "行 那麻烦你了"):
        assert continuity.says_yes(text), text
    for text in ("行吧 那我等等", "好吧 我再等等", "好的 那我的退款呢"):
        assert not continuity.says_yes(text), text
    for text in ("那你给我补发", "then just reship it", "你们给我重新发"):
        assert continuity.demands_errand(text), text
    for text in ("能给我补发吗", "补发要多久", "发票给我开一下"):
        assert not continuity.demands_errand(text), text


def test_a_demand_for_an_errand_takes_the_transfer_offer(talk, transfer_offered):
    transfer_offered()
    taken = talk("那你给我补发")
    assert taken["handoff"]["active"] is True
    assert "没太明白" not in taken["reply"]
    assert dict(taken["state"]).get("pending_question") in (None, {})


def test_a_yes_that_asks_for_speed_takes_the_transfer_offer(talk, transfer_offered):
    transfer_offered()
    taken = talk("好吧 尽快")
    assert taken["handoff"]["active"] is True


def test_a_resigned_wait_does_not(talk, transfer_offered):
    transfer_offered()
    waits = talk("行吧 那我等等")
    assert waits["handoff"]["active"] is False
