"""build_summary and handoff_notice: what agents and customers read at a handoff."""

from __future__ import annotations

from graph.handoff import build_summary
from graph.handoff.urgency import REASON_WEIGHTS
from graph.reply.wording import handoff_notice


def test_summary_names_intent_slots_attempts_emotion_and_last_words() -> None:
    state = {
        "messages": [
            {"role": "user", "content": "我要退货，订单313021098954", "turn": 1},
            {"role": "assistant", "content": "请问是什么原因退货呢？", "turn": 1},
            {"role": "user", "content": "耳机坏了，你们到底管不管！", "turn": 2},
        ],
        "active_intent": "return_request",
        "slots": {"order_id": "313021098954", "product": "蓝牙耳机"},
        "emotion_history": [
            {"label": "neutral", "intensity": 0.3, "turn": 1},
            {"label": "angry", "intensity": 0.9, "turn": 2},
        ],
        "unresolved_turns": 2,
        "actions": [{"name": "action_order_details", "status": "done"}],
    }
    summary = build_summary(state, "high_anger")
    assert "退货申请" in summary
    assert "订单号=313021098954" in summary and "商品=蓝牙耳机" in summary
    assert "机器人已回复1次" in summary and "连续未解决2轮" in summary
    assert "action_order_details" in summary
    assert "平静→生气" in summary and "恶化" in summary and "0.90" in summary
    assert "客户情绪激动" in summary
    assert "耳机坏了，你们到底管不管！" in summary


def test_summary_of_an_empty_or_odd_state_is_still_readable() -> None:
    summary = build_summary({})
    assert "诉求：未明确" in summary and "已知信息：无" in summary and "情绪：无记录" in summary
    odd = {"messages": [{"role": "user", "content": "a\x00b" + "长" * 500, "turn": 1}], "slots": {"x": None}}
    text = build_summary(odd)
    assert "\x00" not in text and len(text) < 300 and "已知信息：无" in text


def test_emotion_trend_calming_down() -> None:
    state = {
        "emotion_history": [
            {"label": "angry", "intensity": 0.8, "turn": 1},
            {"label": "neutral", "intensity": 0.2, "turn": 2},
        ]
    }
    assert "生气→平静（缓和）" in build_summary(state)


def test_handoff_notice_per_status() -> None:
    assert "前面还有 0 位" in handoff_notice({"status": "queued", "position": 1, "ticket_id": 3}, "zh")
    assert "前面还有 2 位" in handoff_notice({"status": "queued", "position": 3, "ticket_id": 3}, "zh")
    assert "回电工单（工单号 7）" in handoff_notice({"status": "callback", "ticket_id": 7}, "zh")
    assert "小王" in handoff_notice({"status": "active", "agent": "小王"}, "zh")
    assert "转人工" in handoff_notice({"status": "declined"}, "zh")
    assert "callback ticket (7)" in handoff_notice({"status": "callback", "ticket_id": 7}, "en")


def test_every_handoff_reason_has_an_urgency_weight() -> None:
    from graph.escalation import REASONS

    assert set(REASON_WEIGHTS) == set(REASONS)
