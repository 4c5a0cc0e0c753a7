"""Issue 16 (not verified there, closed here): an LLM rewrite written for one shopper is never served to
another from the answer cache; the cache holds the composer's grounded drafts only."""

from __future__ import annotations

from collections.abc import Iterator

import graph.generation.reply as reply_module
from app.service import ChatService
from app.store import ensure_demo_store

REWRITE = "您好，签收后7天内可以申请七天无理由退货，商品需保持完好。"


class FakeChatModel:
    """Stands in for the LLM server: streams one scripted (grounded) rewrite."""

    def __init__(self) -> None:
        self.calls = 0

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, timeout_s: float) -> Iterator[str]:
        self.calls += 1
        yield REWRITE


def test_another_shopper_never_gets_a_cached_llm_rewrite(make_settings, monkeypatch):
    settings = make_settings()
    ensure_demo_store(settings)
    model = FakeChatModel()
    monkeypatch.setattr(reply_module, "get_backend", lambda _settings: model)
    service = ChatService(settings)
    first = service.run_turn("a1", "alice", "拆封了还能七天无理由退货吗")
    assert first["tier"] == "llm" and first["reply"] == REWRITE
    second = service.run_turn("b1", "bob", "拆封了还能七天无理由退货吗")
    assert REWRITE not in second["reply"]
    assert second["tier"] == "composer" and second["citations"] == first["citations"]
    assert service.services.answer_cache.stats()["hits"] >= 1  # served from the cache: the composer's draft
