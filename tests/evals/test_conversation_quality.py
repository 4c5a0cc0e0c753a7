"""Conversation-quality metrics (evals/conversation_quality.py) and the replay benchmark that reports them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.settings import get_settings
from evals import bench_conversation
from evals.conversation_quality import (
    REPLY_METRICS,
    asks,
    cannot_help,
    escalated_after,
    identical_consecutive,
    loop_of,
    stuck_at,
    summarize,
)

ASK = "请问是哪一笔订单？您最近的订单有：…"
HANDOFF = {"active": True, "reason": "unresolved_turns"}


def t(reply: str, message: str = "x", handoff: dict | None = None, **extra) -> dict:
    return {"reply": reply, "message": message, "handoff": handoff or {"active": False}, **extra}


@pytest.mark.parametrize("replies,expected", [
    (["a", "b", "c"], 0),
    (["好的。", "好的", "好的!"], 2),  # punctuation and case do not make a reply new
    (["", ""], 0),  # no reply is not a repeated reply
    (["A", "b", "a"], 0),  # only consecutive replies count
])
def test_identical_consecutive_replies(replies: list[str], expected: int) -> None:
    assert identical_consecutive([t(r) for r in replies]) == expected


@pytest.mark.parametrize("reply,extra,expected", [
    (ASK, {}, {"order_id"}),
    ("订单368867462071当前状态：已发货。", {}, set()),  # an order number named, nothing asked
    ("您的账户下没有找到订单3130。还需要先确定是哪一笔订单，您可以发订单号。", {}, {"order_id"}),
    ("请提供11位手机号。", {}, {"phone"}),
    ("Which order is it? Send the order number.", {}, {"order_id"}),
    ("还差一项，请直接回复。", {"actions": [{"status": "need_slot", "missing": ["tax_id"]}]}, {"tax_id"}),
    ("抱歉，还是没能确定订单号，我请人工客服来跟进。", {"actions": [{"status": "need_slot"}]}, set()),
    ("想确认一下，您是想取消订单，还是申请退货？", {"choices": [{"intent": "cancel_order"}]}, {"clarify"}),
])
def test_what_a_reply_asks_for(reply: str, extra: dict, expected: set[str]) -> None:
    assert asks(t(reply, **extra)) == expected


def test_a_third_ask_without_a_handoff_is_a_loop_and_with_one_it_is_not() -> None:
    looping = [t(ASK), t("物流政策如下…"), t(ASK), t(ASK)]
    assert loop_of(looping) == "order_id"
    escalated = [t(ASK), t(ASK), t("抱歉，还是没能确定订单号，我请人工客服来跟进。", handoff=HANDOFF), t(ASK)]
    assert loop_of(escalated) is None
    assert loop_of([t(ASK), t(ASK)]) is None


@pytest.mark.parametrize("reply,expected", [
    ("抱歉，这个问题我暂时帮不上忙。", True),
    ("抱歉，这个问题我没有查到明确的店铺规定，不想给您不准确的答复。", True),
    ("Sorry, I can't help with that one.", True),
    ("Sorry, I could not find a shop policy that answers this.", True),
    ("关于退换货，店铺规定如下：七天无理由退货。", False),
    ("我没太明白您的意思，您是想查订单还是退货？", False),
])
def test_cannot_help_replies(reply: str, expected: bool) -> None:
    assert cannot_help(t(reply)) is expected


def test_stuck_and_escalated() -> None:
    asked_twice = [t("你好"), t(ASK), t(ASK), t("需要的话我可以为您转人工客服。")]
    assert stuck_at(asked_twice) == 2 and escalated_after(asked_twice, 2)
    human = [t("好的", message="转人工"), t("好的")]
    assert stuck_at(human) == 0 and not escalated_after(human, 0)
    assert stuck_at([t("订单已发货"), t("好的")]) is None


def test_summary_shares_are_of_turns_and_counts_of_conversations() -> None:
    conversations = [
        [t(ASK), t(ASK), t(ASK)],  # a loop, two identical replies
        [t("抱歉，这个问题我暂时帮不上忙。"), t("订单已发货", handoff=HANDOFF)],
    ]
    summary = summarize(conversations)
    assert summary["turns"] == 5 and summary["conversations"] == 2
    assert summary["identical_consecutive_replies"] == 2 and summary["identical_consecutive_share"] == 0.4
    assert summary["ask_loops"] == 1 and summary["ask_loop_kinds"] == {"order_id": 1}
    assert summary["cannot_help_replies"] == 1 and summary["cannot_help_share"] == 0.2
    assert summary["handoff_rate"] == 0.5
    assert summarize([])["turns"] == 0


def test_reply_only_metrics_for_the_replay_suite() -> None:
    replies = [[ASK, ASK, ASK], ["抱歉，这个问题我暂时帮不上忙。", "好的"]]
    assert REPLY_METRICS["identical_consecutive_share"](replies) == 0.4
    assert REPLY_METRICS["cannot_help_share"](replies) == 0.2
    assert REPLY_METRICS["same_ask_3x_conversations"](replies) == 1.0
    from evals.suites.replay import QUALITY_METRICS

    assert set(REPLY_METRICS) <= set(QUALITY_METRICS)


def test_both_input_formats_load_customer_turns_only(tmp_path: Path) -> None:
    data = tmp_path / "c.jsonl"
    data.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in [
        {"id": "c1", "topic": "logistics_late", "turns": [{"role": "customer", "text": "到哪了", "good_agent": "ask"}]},
        {"id": "abcd-1", "flow": "refund", "turns": [{"role": "agent", "text": "Hi"}, {"role": "customer", "text": "hi"},
                                                     {"role": "customer", "text": ""}]},
        {"id": "empty", "turns": [{"role": "agent", "text": "Hi"}]},
    ]) + "\n", encoding="utf-8")
    loaded = bench_conversation.load_conversations(data)
    assert [(c["id"], c["topic"], [x["text"] for x in c["turns"]]) for c in loaded] == [
        ("c1", "logistics_late", ["到哪了"]), ("abcd-1", "refund", ["hi"])]
    assert [c["id"] for c in bench_conversation.load_conversations(data, "1:")] == ["abcd-1"]


@pytest.mark.slow
def test_the_benchmark_replays_through_the_chat_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path / "shop"))
    get_settings.cache_clear()
    data = tmp_path / "c.jsonl"
    data.write_text(json.dumps({"id": "c1", "topic": "t", "turns": [
        {"role": "customer", "text": "我的快递到哪了", "good_agent": "ask which order"},
        {"role": "customer", "text": "我的蜂蜜呢"}, {"role": "customer", "text": "都三天了"}]}, ensure_ascii=False),
        encoding="utf-8")
    summary = bench_conversation.main(["--data", str(data), "--out", str(tmp_path / "out")])
    get_settings.cache_clear()
    assert summary["conversations"] == 1 and summary["turns"] == 3 and summary["errors"] == 0
    assert summary["ask_loops"] == 0 and summary["identical_consecutive_replies"] == 0
    transcript = (tmp_path / "out" / "transcripts.md").read_text(encoding="utf-8")
    assert "我的蜂蜜呢" in transcript and "hint: ask which order" in transcript
    assert not (tmp_path / "shop" / "shop.db").exists()  # replayed on a throw-away shop
