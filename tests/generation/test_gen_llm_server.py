"""The LLM path against a real OpenAI-compatible server (`transformers serve`) running tiny local models."""

from __future__ import annotations

import asyncio

import pytest
from gen_fixtures import passages_for

from app.settings import Settings
from graph.generation import astream_reply, generate_reply, stream_reply
from graph.generation.backends import OpenAICompatibleBackend

pytestmark = pytest.mark.slow

DRAFT = "关于退款到账，店铺规定如下：支付宝、微信支付1-3个工作日到账。"
CONTEXT = {"question": "退款多久到账", "language": "zh", "emotion": {"label": "anxious", "intensity": 0.5},
           "intent": "refund_status", "passages": passages_for(["refund-time"]), "action_results": [],
           "dst_summary": {}, "history": [{"role": "user", "content": "你好"}]}


def _settings(tmp_path, url, model, **kw):
    return Settings(data_dir=tmp_path, llm_base_url=url, llm_model=str(model), **{"llm_timeout_s": 30.0, **kw})


def test_backend_streams_chunks(llm_server, tiny_models):
    backend = OpenAICompatibleBackend(llm_server, str(tiny_models["letters"]))
    chunks = list(backend.stream([{"role": "user", "content": "hello"}], max_tokens=12, timeout_s=30))
    assert len(chunks) >= 3
    assert set("".join(chunks)) <= set("abcdefghijklmnopqrstuvwxyz ")


def test_grounded_llm_reply_is_used(tmp_path, llm_server, tiny_models):
    out = generate_reply(settings=_settings(tmp_path, llm_server, tiny_models["letters"], llm_max_tokens=24),
                         draft=DRAFT, context=CONTEXT)
    assert out["tier"] == "llm", out
    assert out["text"] and out["text"] != DRAFT


def test_reply_with_invented_numbers_is_replaced_by_the_draft(tmp_path, llm_server, tiny_models):
    out = generate_reply(settings=_settings(tmp_path, llm_server, tiny_models["digits"], llm_max_tokens=12),
                         draft=DRAFT, context=CONTEXT)
    assert out["tier"] == "composer" and out["text"] == DRAFT
    assert out["fallback_reason"].startswith("ungrounded_figures")
    assert any(ch.isdigit() for ch in out["rejected"])


def test_stream_reply_streams_grounded_text(tmp_path, llm_server, tiny_models):
    settings = _settings(tmp_path, llm_server, tiny_models["letters"], llm_max_tokens=40)
    events = list(stream_reply(settings=settings, draft=DRAFT, context=CONTEXT))
    deltas = [e["text"] for e in events if e["event"] == "delta"]
    done = events[-1]
    assert done["event"] == "done" and done["tier"] == "llm"
    assert len(deltas) >= 2 and "".join(deltas).strip() == done["text"]


def test_stream_reply_never_shows_ungrounded_figures(tmp_path, llm_server, tiny_models):
    settings = _settings(tmp_path, llm_server, tiny_models["digits"], llm_max_tokens=12)
    events = list(stream_reply(settings=settings, draft=DRAFT, context=CONTEXT))
    assert events == [{"event": "delta", "text": DRAFT},
                      {"event": "done", "text": DRAFT, "tier": "composer", "fallback_reason": events[-1]["fallback_reason"]}]
    assert events[-1]["fallback_reason"].startswith("ungrounded_figures")


def test_unknown_model_name_falls_back(tmp_path, llm_server):
    out = generate_reply(settings=_settings(tmp_path, llm_server, tmp_path / "no-such-model"), draft=DRAFT,
                         context=CONTEXT)
    assert out["tier"] == "composer" and out["fallback_reason"].startswith("error")


def test_async_stream_gives_the_same_events(tmp_path, llm_server, tiny_models):
    settings = _settings(tmp_path, llm_server, tiny_models["letters"], llm_max_tokens=20)

    async def collect():
        return [event async for event in astream_reply(settings=settings, draft=DRAFT, context=CONTEXT)]

    events = asyncio.run(collect())
    assert events[-1]["event"] == "done" and events[-1]["tier"] == "llm", events
    assert "".join(e["text"] for e in events if e["event"] == "delta").strip() == events[-1]["text"]


def test_policy_question_end_to_end_with_kb_and_server(tmp_path, llm_server, tiny_models):
    pytest.importorskip("knowledge")
    from graph.reply.policy import ask_policy_question

    settings = _settings(tmp_path, llm_server, tiny_models["letters"], llm_max_tokens=16)
    from app.wiring import ShopPolicies

    out = ask_policy_question(settings, ShopPolicies(settings), "运费险最多赔多少")
    assert out["tier"] == "llm" and out["grounded"] and out["citations"]
    digits = _settings(tmp_path, llm_server, tiny_models["digits"], llm_max_tokens=8)
    fallback = ask_policy_question(digits, ShopPolicies(digits), "运费险最多赔多少")
    assert fallback["tier"] == "composer" and "12元" in fallback["reply"]
    assert fallback["fallback_reason"].startswith("ungrounded_figures")


def test_budget_smaller_than_generation_time_falls_back(tmp_path, llm_server, tiny_models):
    # last in the file: the server may keep generating the abandoned replies for a while
    settings = _settings(tmp_path, llm_server, tiny_models["letters"], llm_max_tokens=1500, llm_timeout_s=0.3)
    out = generate_reply(settings=settings, draft=DRAFT, context=CONTEXT)
    assert out == {"text": DRAFT, "tier": "composer", "fallback_reason": "timeout"}
    events = list(stream_reply(settings=settings, draft=DRAFT, context=CONTEXT))
    assert events[-1] == {"event": "done", "text": DRAFT, "tier": "composer", "fallback_reason": "timeout"}
    if any(e["event"] == "delta" and e["text"] != DRAFT for e in events):
        assert {"event": "reset"} in events  # text already shown is withdrawn before the draft
