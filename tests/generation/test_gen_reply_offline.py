"""generate_reply / stream_reply without an LLM, and with an LLM server that is not there."""

from __future__ import annotations

import socket

from gen_fixtures import passages_for

from app.settings import Settings
from graph.generation import generate_reply, stream_reply

CONTEXT = {"question": "退款多久到账", "language": "zh", "emotion": None, "intent": "refund_status",
           "passages": passages_for(["refund-time"]), "action_results": [], "dst_summary": {}, "history": []}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_without_llm_the_draft_is_returned(tmp_path):
    out = generate_reply(settings=Settings(data_dir=tmp_path), draft="草稿", context=CONTEXT)
    assert out == {"text": "草稿", "tier": "composer", "fallback_reason": None}
    events = list(stream_reply(settings=Settings(data_dir=tmp_path), draft="草稿", context=CONTEXT))
    assert events == [{"event": "delta", "text": "草稿"},
                      {"event": "done", "text": "草稿", "tier": "composer", "fallback_reason": None}]


def test_dead_server_falls_back_to_the_draft(tmp_path):
    settings = Settings(data_dir=tmp_path, llm_base_url=f"http://127.0.0.1:{_free_port()}/v1", llm_timeout_s=20.0)
    out = generate_reply(settings=settings, draft="草稿", context=CONTEXT)
    assert out["tier"] == "composer" and out["text"] == "草稿" and out["fallback_reason"].startswith("error")
    events = list(stream_reply(settings=settings, draft="草稿", context=CONTEXT))
    assert events[-1]["tier"] == "composer" and events[-1]["fallback_reason"].startswith("error")
    assert {"event": "reset"} not in events


def test_silent_server_times_out_within_budget(tmp_path):
    listener = socket.socket()  # accepts connections, never answers
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        port = listener.getsockname()[1]
        settings = Settings(data_dir=tmp_path, llm_base_url=f"http://127.0.0.1:{port}/v1", llm_timeout_s=0.5)
        out = generate_reply(settings=settings, draft="草稿", context=CONTEXT)
        assert out["tier"] == "composer" and out["fallback_reason"] == "timeout"
    finally:
        listener.close()


def test_malformed_context_is_tolerated(tmp_path):
    settings = Settings(data_dir=tmp_path, llm_base_url=f"http://127.0.0.1:{_free_port()}/v1", llm_timeout_s=1.0)
    out = generate_reply(settings=settings, draft="草稿", context=None)  # type: ignore[arg-type]
    assert out["text"] == "草稿"
