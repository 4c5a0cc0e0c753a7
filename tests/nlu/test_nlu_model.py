"""The shipped trained model: hard taxonomy boundaries, emotions, calibration sanity."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from finetune.nlu.extras import CJK_POOL
from graph.nlu.model import ARTIFACT_NAME
from graph.nlu.runtime import SHIPPED_ARTIFACTS, build_nlu

HELDOUT = Path(__file__).resolve().parents[2] / "finetune" / "nlu" / "data" / "heldout.jsonl"
pytestmark = pytest.mark.skipif(
    not (SHIPPED_ARTIFACTS / ARTIFACT_NAME).is_file(), reason="no shipped artifact"
)


@pytest.fixture(scope="module")
def nlu():
    return build_nlu(None)


BOUNDARIES = [
    ("为什么还不退款", "refund_status"),
    ("给我退款", "return_request"),
    ("我要退货", "return_request"),
    ("退货运费谁出", "return_policy"),
    ("拆封了还能七天无理由吗", "return_policy"),
    ("我的订单发货了吗", "order_status"),
    ("快递到哪了", "logistics_tracking"),
    ("怎么还不发货", "urge_shipment"),
    ("显示签收了但我没收到", "delivery_problem"),
    ("你们客服太差了我要投诉", "complaint"),
    ("气死了，这破东西我要退货", "return_request"),
    ("我昨天买的今天降了100能退差价吗", "price_protection"),
    ("满300减50还有吗", "promotion_inquiry"),
    ("转人工", "human_agent"),
    ("跟你说不清楚，找个人来", "human_agent"),
    ("尺码小了想换大一号", "exchange_request"),
    ("地址填错了能改吗", "modify_order"),
    ("不想要了帮我取消订单", "cancel_order"),
    ("用了一个月就坏了保修吗", "warranty_repair"),
    ("帮我开个发票", "invoice"),
    ("付款失败但钱扣了", "payment_issue"),
    ("登录不上去", "account_issue"),
    ("这款耳机防水吗", "product_inquiry"),
    ("你好", "greeting"),
    ("今天天气怎么样", "other"),
    ("asdkjh", "other"),
    ("where is my package", "logistics_tracking"),
    ("I want a refund for order 123456789012", "return_request"),
    ("cancel my order please", "cancel_order"),
    ("human please", "human_agent"),
]


@pytest.mark.parametrize(("text", "intent"), BOUNDARIES)
def test_hard_boundaries(nlu, text: str, intent: str) -> None:
    assert nlu.analyze(text)["intent"] == intent


# The shipping boundaries written from the taxonomy: the order's own state, the parcel's journey,
# a plea to ship, and a delivery gone wrong.
SHIPPING = [
    ("我的订单什么时候到", "logistics_tracking"),
    ("发货三天了，包裹现在到哪了", "logistics_tracking"),
    ("订单付款成功了吗", "order_status"),
    ("帮我看看订单313021098954出库了没", "order_status"),
    ("都五天了还不发货，麻烦快点", "urge_shipment"),
    ("能不能今天就发出去，周五要用", "urge_shipment"),
    ("物流显示已签收，可我家里根本没人收到", "delivery_problem"),
    ("打开箱子发现杯子碎了两个", "delivery_problem"),
    ("付了钱订单还显示待付款", "payment_issue"),
    ("这款冰箱有保修吗", "warranty_repair"),
]


@pytest.mark.parametrize(("text", "intent"), SHIPPING)
def test_shipping_boundaries(nlu, text: str, intent: str) -> None:
    assert nlu.analyze(text)["intent"] == intent


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("快递到哪了", "neutral"),
        ("急死了明天就要用，怎么还不发货", "anxious"),
        ("气死我了，什么破服务", "angry"),
        ("收到了很满意，谢谢你们", "positive"),
    ],
)
def test_emotions(nlu, text: str, emotion: str) -> None:
    assert nlu.analyze(text)["emotion"]["label"] == emotion


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("收到的杯子碎了两个", "angry"),  # a grievance without an emotion word
        ("一个礼拜了还不发货，还做不做生意了", "angry"),
        ("过两天就要送人了，换货还来得及吗", "anxious"),  # time pressure without 急
        ("好的明白了，谢啦", "positive"),
        ("退款什么时候到账", "neutral"),
    ],
)
def test_emotion_the_situation_carries(nlu, text: str, emotion: str) -> None:
    assert nlu.analyze(text)["emotion"]["label"] == emotion


@pytest.mark.parametrize("text", ["它着最长这又方", "注文はどこですか", "안녕하세요 감사합니다", "مرحبا كيف حالك"])
def test_random_characters_and_other_scripts_are_other(nlu, text: str) -> None:
    assert nlu.analyze(text)["intent"] == "other"


def test_mashes_of_common_characters_are_mostly_other(nlu) -> None:
    """Common characters in no order: most read as `other`; the rest mostly as a greeting (a harmless reply).
    One fixed mash ("看其到而总了会次") reads as a greeting since the public-corpus greetings came in."""
    rng = random.Random(20261207)
    readings = Counter(
        nlu.analyze("".join(rng.choice(CJK_POOL) for _ in range(rng.randint(3, 12))))["intent"] for _ in range(200)
    )
    assert readings["other"] >= 0.8 * 200
    assert readings["other"] + readings["greeting"] >= 0.9 * 200


def test_anger_intensity_grows_with_wording(nlu) -> None:
    mild = nlu.analyze("有点失望，怎么还没到")["emotion"]
    strong = nlu.analyze("气死我了！！再不处理我就去12315投诉你们！！")["emotion"]
    assert strong["label"] == "angry"
    assert strong["intensity"] > (mild["intensity"] if mild["label"] == "angry" else 0.0)


def test_calibration_sanity(nlu) -> None:
    records = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()[:600]]
    outs = [(nlu.analyze(r["text"]), r["intent"]) for r in records]
    right = [o["confidence"] for o, gold in outs if o["intent"] == gold]
    wrong = [o["confidence"] for o, gold in outs if o["intent"] != gold]
    assert sum(right) / len(right) > sum(wrong) / max(1, len(wrong)) + 0.15
    confident = [o["intent"] == gold for o, gold in outs if o["confidence"] >= 0.9]
    assert sum(confident) / len(confident) >= 0.95
