"""The turn graph with a fake chat model standing in for the LLM server: grounded rewrites are used,
invented figures are replaced by the composer's reply, and front-tier turns never call the model.
(The real path to a real OpenAI-compatible server is tested in tests/generation.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import graph.generation.reply as reply_module


class FakeChatModel:
    """Streams a scripted answer and records what it was asked."""

    def __init__(self, answer: str) -> None:
        self.answer, self.calls = answer, 0

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, timeout_s: float) -> Iterator[str]:
        self.calls += 1
        for i in range(0, len(self.answer), 4):
            yield self.answer[i:i + 4]


@pytest.fixture
def fake_llm(monkeypatch):
    def install(answer: str) -> FakeChatModel:
        model = FakeChatModel(answer)
        monkeypatch.setattr(reply_module, "get_backend", lambda settings: model)
        return model

    return install


def test_a_grounded_llm_reply_is_used(talk, fake_llm):
    model = fake_llm("您好，签收后7天内可以申请七天无理由退货，商品需保持完好。")
    turn = talk("拆封了还能七天无理由退货吗")
    assert model.calls == 1
    assert turn["tier"] == "llm"
    assert turn["reply"].startswith("您好，签收后7天内")
    assert turn["citations"]


def test_an_invented_figure_is_replaced_by_the_composer(talk, fake_llm):
    model = fake_llm("没问题，本店支持30天无理由退货，运费全免。")
    turn = talk("拆封了还能七天无理由退货吗")
    assert model.calls == 1
    assert turn["tier"] == "composer"
    assert "30天" not in turn["reply"]
    assert "7" in turn["reply"] or "七" in turn["reply"]


def test_an_invented_refund_amount_never_reaches_the_customer(talk, fake_llm, cases):
    fake_llm("好的，取消后将退款¥9999到您的账户。请回复确认。")
    turn = talk(f"帮我取消订单{cases['paid']}")
    assert turn["actions"][0]["status"] == "proposed"
    assert "9999" not in turn["reply"]
    assert turn["tier"] == "composer"


def test_front_tier_turns_never_call_the_model(talk, fake_llm, cases):
    model = fake_llm("随便说点什么")
    turn = talk(f"订单{cases['shipped']}到哪了")
    assert turn["tier"] == "front"
    assert model.calls == 0
