"""The local transformers backend (llm_local_path) with tiny models built from a config."""

from __future__ import annotations

import pytest
from gen_fixtures import passages_for

from app.settings import Settings
from graph.generation import generate_reply, stream_reply
from graph.generation.backends import LLMError, LocalTransformersBackend, get_backend

pytestmark = pytest.mark.slow

DRAFT = "关于发票，店铺规定如下：发票在1个工作日内开具。"
CONTEXT = {"question": "发票多久能开", "language": "zh", "emotion": None, "intent": "invoice",
           "passages": passages_for(["invoice"]), "action_results": [], "dst_summary": {}, "history": []}


def test_factory_picks_the_local_backend(tmp_path, tiny_models):
    backend = get_backend(Settings(data_dir=tmp_path, llm_local_path=str(tiny_models["letters"])))
    assert isinstance(backend, LocalTransformersBackend)
    assert get_backend(Settings(data_dir=tmp_path)) is None


def test_local_model_streams_and_passes_grounding(tmp_path, tiny_models):
    settings = Settings(data_dir=tmp_path, llm_local_path=str(tiny_models["letters"]), llm_max_tokens=30,
                        llm_timeout_s=60)
    out = generate_reply(settings=settings, draft=DRAFT, context=CONTEXT)
    assert out["tier"] == "llm" and out["text"]
    events = list(stream_reply(settings=settings, draft=DRAFT, context=CONTEXT))
    assert events[-1]["tier"] == "llm" and sum(e["event"] == "delta" for e in events) >= 2


def test_local_model_with_invented_numbers_falls_back(tmp_path, tiny_models):
    settings = Settings(data_dir=tmp_path, llm_local_path=str(tiny_models["digits"]), llm_max_tokens=10,
                        llm_timeout_s=60)
    out = generate_reply(settings=settings, draft=DRAFT, context=CONTEXT)
    assert out["tier"] == "composer" and out["fallback_reason"].startswith("ungrounded_figures")


def test_missing_local_model_is_a_clear_error_and_a_fallback(tmp_path):
    backend = LocalTransformersBackend(str(tmp_path / "nothing"))
    with pytest.raises(LLMError):
        list(backend.stream([{"role": "user", "content": "hi"}], max_tokens=4, timeout_s=5))
    out = generate_reply(settings=Settings(data_dir=tmp_path, llm_local_path=str(tmp_path / "nothing")),
                         draft=DRAFT, context=CONTEXT)
    assert out["text"] == DRAFT and out["fallback_reason"].startswith("error")
