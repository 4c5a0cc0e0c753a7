"""Emotion from the situation (weak labels of the corpus) and the label conventions of taxonomy.yaml."""

from __future__ import annotations

import random

import pytest

from finetune.nlu.augment import Example, casual, decorate, tables
from finetune.nlu.corpus import render
from finetune.nlu.situations import situation_emotion, situations
from finetune.nlu.templates import Template, join, load_templates


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("付款失败了但是钱扣了", "anxious"),  # money taken but the order unpaid
        ("my payment failed but I was charged", "anxious"),
        ("显示签收了但我没收到", "anxious"),
        ("下周三是她生日，能赶上吗", "anxious"),  # a deadline
        ("说好的48小时发货，现在还没发", "angry"),  # a promise broken
        ("这是我第三次问了", "angry"),  # a repeated contact
        ("you sent me the wrong size", "angry"),
        ("麻烦帮我查下退款进度，谢谢", "positive"),  # a thanks attached to a request
        ("少了一个赠品 不着急 补发就行", None),  # "不着急" vetoes the grievance
        ("这款耳机防水吗", None),
        ("how do I check my gift card balance?", None),  # a gift card is not a gift deadline
        ("四件套不满意，申请退货", None),  # 不满意 is not 满意
        ("I ordered it twice by mistake, please cancel one", "anxious"),  # the customer's own slip
        ("is it too late to send it back?", "anxious"),  # a right that may run out
        ("超过七天了还能退吗", "anxious"),
        ("拆封了还能七天无理由吗", None),  # a plain rule question
        ("the quality is terrible, I want my money back", "angry"),
        ("it still won't turn on, I already tried resetting it", "angry"),
        ("you dropped the price right after I paid", "angry"),
        ("did my order go through? no confirmation email yet", "anxious"),
        ("ordered on monday and it still hasn't arrived", "anxious"),  # still waiting, no blame
        ("been waiting all day, where's my parcel?", "anxious"),
        ("还没收到货，快一周了", "anxious"),
        ("when will my order arrive?", None),  # a plain question about timing
        ("how long does delivery take to Leeds?", None),
        ("no rush, my order hasn't shipped yet", None),  # "no rush" vetoes the wait
        ("still not here after you promised friday", "angry"),  # blame wins over the wait
    ],
)
def test_situation_emotion(text: str, emotion: str | None) -> None:
    found = situation_emotion(text)
    assert (found[0] if found else None) == emotion


def test_blame_wins_over_worry_and_worry_over_thanks() -> None:
    emotions = [s.emotion for s in situations()]
    assert emotions == sorted(emotions, key=["angry", "anxious", "positive"].index)
    assert situation_emotion("说好的今天到，明天就要出门了")[0] == "angry"
    assert situation_emotion("钱扣了订单没生成，谢谢帮忙看下")[0] == "anxious"


def test_untagged_templates_take_the_situation_and_tagged_ones_keep_their_tag() -> None:
    rng = random.Random(0)
    untagged = Template("t/zh/00", "payment_issue", "zh", "付款失败了但钱扣了")
    assert render(untagged, rng).emotion == "anxious"
    kept = Template("t/zh/01", "payment_issue", "zh", "付款失败了但钱扣了", "neutral", 0.0, tagged=True)
    assert render(kept, rng).emotion == "neutral"
    other = Template("t/zh/02", "other", "zh", "天气真好谢谢")
    assert render(other, rng).emotion == "neutral"  # off-topic messages carry no shop situation


def test_thanks_decorators_make_a_request_positive() -> None:
    neutral = tables()["decorators"]["neutral"]
    for side in ("zh_prefix", "zh_suffix", "en_prefix", "en_suffix"):
        assert not [d for d in neutral[side] if "谢" in d or "thank" in d.lower()], side
    rng = random.Random(3)
    ex = Example([("帮我查下退款", None, None)], "refund_status", "zh", "neutral", 0.0)
    decorate(ex, rng, "positive")
    assert ex.emotion == "positive" and ex.intensity > 0


def test_price_difference_paid_is_price_protection() -> None:
    refund = [t for t in load_templates() if t.intent == "refund_status"]
    assert not [t.id for t in refund if "差价" in t.pattern]


def test_casual_english_keeps_entity_spans() -> None:
    rng = random.Random(1)
    for _ in range(50):
        ex = Example(
            [("I can't find order ", None, None), ("313021098954", "order_id", "313021098954"), (" please", None, None)],
            "order_status",
            "en",
            "neutral",
            0.0,
        )
        casual(ex, rng)
        text, entities = join(ex.segments)
        assert [text[e["start"] : e["end"]] for e in entities] == ["313021098954"]
        assert ex.emotion == "neutral"


def test_the_emotion_head_reads_which_situations_a_message_describes() -> None:
    from graph.nlu.features import cue_names, cues

    names = cue_names()
    assert names[-3:] == ["situation:angry", "situation:anxious", "situation:positive"]
    flags = dict(zip(names, cues("说好的今天回电话，谢谢").tolist(), strict=True))
    assert (flags["situation:angry"], flags["situation:anxious"], flags["situation:positive"]) == (1.0, 0.0, 1.0)
    # every situation a message describes is flagged: a broken promise and a wait still going on
    assert cues("说好的48小时发货，现在还没发")[-3:].tolist() == [1.0, 1.0, 0.0]
    assert cues("这款耳机防水吗")[-3:].tolist() == [0.0, 0.0, 0.0]

