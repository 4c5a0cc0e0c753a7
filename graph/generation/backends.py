"""LLM backends that stream reply text: an OpenAI-compatible server (vLLM in production) or a
local transformers model on disk. One factory picks the backend from LLMSettings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Protocol

from graph.ports import LLMSettings


class LLMError(RuntimeError):
    """The LLM could not produce a reply (server down, bad answer, model missing)."""


class ChatBackend(Protocol):
    """Streams the text of one chat completion, chunk by chunk."""

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, timeout_s: float) -> Iterator[str]: ...


class OpenAICompatibleBackend:
    """Chat completions over the OpenAI API of vLLM (or any compatible server, e.g. `transformers serve`)."""

    def __init__(self, base_url: str, model: str, api_key: str = "EMPTY") -> None:
        self.base_url, self.model, self.api_key = base_url, model, api_key
        self._client = _openai_client(base_url, api_key)  # imported here, outside the turn's time budget

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, timeout_s: float) -> Iterator[str]:
        import openai

        client = self._client
        try:
            response = client.chat.completions.create(
                model=self.model, messages=messages, max_tokens=max_tokens, temperature=0.2,
                stream=True, timeout=timeout_s,
            )
            with response:
                for chunk in response:
                    for choice in chunk.choices or []:
                        if choice.delta and choice.delta.content:
                            yield choice.delta.content
        except openai.OpenAIError as exc:
            raise LLMError(f"{type(exc).__name__}: {exc}") from exc


@lru_cache(maxsize=8)
def _openai_client(base_url: str, api_key: str) -> Any:
    """One pooled HTTP client per server. One retry covers a pooled keep-alive connection that the
    server closed meanwhile; the turn's hard time budget bounds everything else."""
    import openai

    return openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=1)


class LocalTransformersBackend:
    """A causal LM loaded from a local folder with transformers (CPU or GPU), for small deployments."""

    def __init__(self, path: str) -> None:
        self.path = path

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, timeout_s: float) -> Iterator[str]:
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        model, tokenizer = _load_local(self.path)
        deadline = time.monotonic() + timeout_s
        stop = threading.Event()

        class _Deadline(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
                return stop.is_set() or time.monotonic() > deadline

        inputs = _encode(tokenizer, messages).to(model.device)
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=timeout_s)
        kwargs = {"input_ids": inputs, "max_new_tokens": max_tokens, "do_sample": False, "streamer": streamer,
                  "stopping_criteria": StoppingCriteriaList([_Deadline()]),
                  "pad_token_id": tokenizer.pad_token_id or tokenizer.eos_token_id}
        worker = threading.Thread(target=_generate_quietly, args=(model, kwargs, streamer), daemon=True)
        worker.start()
        try:
            for text in streamer:
                if text:
                    yield text
        except Exception as exc:  # queue.Empty on a stalled generation
            raise LLMError(f"local generation stalled: {type(exc).__name__}") from exc
        finally:
            stop.set()


def _generate_quietly(model: Any, kwargs: dict[str, Any], streamer: Any) -> None:
    try:
        model.generate(**kwargs)
    except Exception:  # noqa: BLE001 - the consumer sees the stream end early and falls back
        streamer.end()


def _encode(tokenizer: Any, messages: list[dict[str, str]]) -> Any:
    """Token ids of the chat, with the model's chat template when it has one."""
    if getattr(tokenizer, "chat_template", None):
        encoded = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                return_dict=True)
        return encoded["input_ids"]
    text = "\n\n".join(f"{m['role']}: {m['content']}" for m in messages) + "\n\nassistant: "
    return tokenizer(text, return_tensors="pt")["input_ids"]


@lru_cache(maxsize=2)
def _load_local(path: str) -> tuple[Any, Any]:
    """Model and tokenizer from a local folder (never downloads)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise LLMError(f"cannot load local model {path!r}: {exc}") from exc
    model.eval()
    return model, tokenizer


def get_backend(settings: LLMSettings) -> ChatBackend | None:
    """The configured backend: the server at llm_base_url, else the model at llm_local_path, else None."""
    if settings.llm_base_url:
        return OpenAICompatibleBackend(settings.llm_base_url, settings.llm_model, settings.llm_api_key)
    if settings.llm_local_path:
        return LocalTransformersBackend(settings.llm_local_path)
    return None
