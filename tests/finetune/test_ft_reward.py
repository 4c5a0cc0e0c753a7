"""The service reward (finetune/reward.py): table-driven checks of each component and the total."""

from __future__ import annotations

import pytest

from finetune.reward import (
    REWARDS,
    WEIGHTS,
    emotion_points,
    get_reward,
    resolution_score,
    response_time_score,
    score_conversation,
)

ANGRY_GOOD = "非常抱歉给您带来不好的体验，已为您提交退货申请，签收后7天内可以无理由退货。"


@pytest.mark.parametrize(
    "text,intent,expected",
    [
        (ANGRY_GOOD, "return_request", 1.0),
        ("退款原路返回：支付宝1-3个工作日到账。", "refund_status", 1.0),
        ("请您耐心等待。", "refund_status", 0.0),  # deflection
        ("", "refund_status", 0.0),  # empty
        ("好的，正在为您转接人工客服。", "human_agent", 1.0),  # handoff asked for
        ("好的，正在为您转接人工客服。", "invoice", 0.2),  # handoff instead of an answer
        ("您好，祝您生活愉快", "invoice", 0.4),  # polite but off-topic
        ("签收后15天内可以无理由退货。", "return_policy", 0.25),  # contradicts the KG (7 天)
        ("生鲜支持七天无理由退货。", "return_policy", 0.25),  # wrong category exclusion
    ],
)
def test_resolution_table(text, intent, expected):
    assert resolution_score(text, intent) == pytest.approx(expected)


@pytest.mark.parametrize("latency,expected", [(0.5, 1.0), (3.0, 1.0), (6.5, 0.5), (10.0, 0.0), (30.0, 0.0)])
def test_response_time_table(latency, expected):
    assert response_time_score(latency) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text,emotion,intensity,points",
    [
        (ANGRY_GOOD, "angry", 0.9, 5),
        ("已为您提交退货申请。", "angry", 0.9, 3),  # action, no empathy, strong anger
        ("这是你自己的问题。", "angry", 0.9, 1),  # blame
        ("别着急，支付宝1-3个工作日到账。", "anxious", 0.7, 5),
        ("退款会退回。", "anxious", 0.7, 3),
        ("订单已发货。", "neutral", 0.1, 5),
        ("非常抱歉非常抱歉，订单已发货。", "neutral", 0.1, 4),  # over-apology
        ("不客气，祝您购物愉快！", "positive", 0.5, 5),
        ("", "neutral", 0.1, 1),
    ],
)
def test_emotion_rubric_table(text, emotion, intensity, points):
    assert emotion_points(text, emotion, intensity) == points


def test_registry_functions_take_trl_style_columns():
    completions = [
        [{"role": "assistant", "content": ANGRY_GOOD}],
        [{"role": "assistant", "content": "请您耐心等待。"}],
    ]
    kw = {"intent": ["return_request"] * 2, "emotion": ["angry"] * 2, "intensity": [0.9] * 2}
    total = REWARDS["kefu_service"](completions, **kw)
    parts = {n: REWARDS[n](completions, **kw) for n in WEIGHTS}
    assert total[0] == pytest.approx(1.0)
    assert total[1] == pytest.approx(sum(WEIGHTS[n] * parts[n][1] for n in WEIGHTS))
    assert total[1] < 0.5
    assert REWARDS["response_time"](["x"], latency_s=[8.6]) == [pytest.approx(0.2)]
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_unknown_reward_name():
    with pytest.raises(ValueError, match="known"):
        get_reward("bleu")


def test_score_conversation():
    turns = [
        {
            "role": "user",
            "content": "退款怎么还没到",
            "intent": "refund_status",
            "emotion": "anxious",
            "intensity": 0.7,
        },
        {"role": "assistant", "content": "别着急，支付宝1-3个工作日到账。", "latency_s": 1.0},
        {"role": "user", "content": "好的谢谢", "intent": "greeting", "emotion": "positive"},
        {"role": "assistant", "content": "不客气，祝您购物愉快！", "latency_s": 6.5},
    ]
    s = score_conversation(turns)
    assert s["first_contact_resolution"] == 1.0 and s["emotion_fit"] == 1.0
    assert s["response_time"] == pytest.approx(0.75) and s["mean_latency_s"] == pytest.approx(3.75)
    assert s["reward"] == pytest.approx(0.4 + 0.3 * 0.75 + 0.3)
    assert s["meets"] == {"first_contact_resolution": True, "response_time": False, "emotion_fit": True}
    handed = score_conversation(turns, resolved=True, handed_off=True)
    assert handed["first_contact_resolution"] == 0.0
    assert score_conversation([])["reward"] == 0.0
