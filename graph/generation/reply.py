"""The LLM tier of a reply: ask the configured model within the turn's time budget, check the
answer's grounding, and fall back to the composer's draft on timeout, error or failed check.

The customer never waits longer than `llm_timeout_s` on a dead or slow server, and never sees
a figure that kefu does not know.
"""

from __future__ import annotations

import asyncio
import queue
import re
import threading
import time
from collections.abc import AsyncIterator, Generator, Iterator
from typing import Any

from graph.generation.backends import ChatBackend, get_backend
from graph.generation.grounding import check_grounding
from graph.generation.prompt import build_messages
from graph.ports import LLMSettings

# Text is released up to the last clause boundary (figures are whole there), each piece checked first.
_BOUNDARY = re.compile(r"[。！？!?\n，,、；;：:]|\s")


class _Fallback(Exception):
    """The LLM path gave up; the message is the fallback reason."""


def _producer(backend: ChatBackend, messages: list[dict[str, str]], settings: LLMSettings,
              out: queue.Queue, cancel: threading.Event) -> None:
    try:
        for chunk in backend.stream(messages, max_tokens=settings.llm_max_tokens, timeout_s=settings.llm_timeout_s):
            if cancel.is_set():
                return
            out.put(("chunk", chunk))
        out.put(("end", None))
    except Exception as exc:  # noqa: BLE001 - any backend failure becomes a fallback, never a crash of the turn
        out.put(("error", f"{type(exc).__name__}: {exc}"[:300]))


def _llm_chunks(backend: ChatBackend, messages: list[dict[str, str]], settings: LLMSettings) -> Iterator[str]:
    """Raw chunks from the backend under a hard deadline; raises _Fallback on timeout or error."""
    deadline = time.monotonic() + settings.llm_timeout_s
    out: queue.Queue = queue.Queue()
    cancel = threading.Event()
    threading.Thread(target=_producer, args=(backend, messages, settings, out, cancel), daemon=True).start()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Fallback("timeout")
            try:
                kind, value = out.get(timeout=remaining)
            except queue.Empty:
                raise _Fallback("timeout") from None
            if kind == "end":
                return
            if kind == "error":
                raise _Fallback(f"error: {value}")
            yield value
    finally:
        cancel.set()


def _context(context: Any) -> dict[str, Any]:
    return context if isinstance(context, dict) else {}


def generate_reply(*, settings: LLMSettings, draft: str, context: dict[str, Any]) -> dict[str, Any]:
    """{"text", "tier": "llm"} from the configured LLM, or {"text": draft, "tier": "composer",
    "fallback_reason": ...} (reason None when no LLM is configured)."""
    backend = get_backend(settings)
    if backend is None:
        return {"text": draft, "tier": "composer", "fallback_reason": None}
    context = _context(context)
    try:
        text = "".join(_llm_chunks(backend, build_messages(context, draft), settings)).strip()
    except _Fallback as exc:
        return {"text": draft, "tier": "composer", "fallback_reason": str(exc)}
    verdict = check_grounding(text, context, draft)
    if not verdict.ok:
        missing = ": " + ", ".join(f.value for f in verdict.missing) if verdict.missing else ""
        reason = (verdict.reason or "rejected") + missing
        return {"text": draft, "tier": "composer", "fallback_reason": reason, "rejected": text}
    return {"text": text, "tier": "llm"}


def stream_reply(*, settings: LLMSettings, draft: str, context: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Stream a reply as events: {"event": "delta", "text"} pieces, a {"event": "reset"} when text
    already shown must be replaced by the draft, and one final {"event": "done", "text", "tier",
    "fallback_reason"}. Text is released a clause at a time, each checked for grounding first."""
    backend = get_backend(settings)
    if backend is None:
        yield from _fallback_events(draft, None, shown="")
        return
    context = _context(context)
    shown, pending = "", ""
    try:
        for chunk in _llm_chunks(backend, build_messages(context, draft), settings):
            pending += chunk
            cut = _last_sentence_end(pending)
            if cut:
                shown = yield from _release(shown, pending[:cut], context, draft)
                pending = pending[cut:]
        shown = yield from _release(shown, pending, context, draft, final=True)
    except _Fallback as exc:
        yield from _fallback_events(draft, str(exc), shown)
        return
    yield {"event": "done", "text": shown.strip(), "tier": "llm", "fallback_reason": None}


def _last_sentence_end(text: str) -> int:
    ends = [m.end() for m in _BOUNDARY.finditer(text)]
    return ends[-1] if ends else 0


def _release(shown: str, piece: str, context: dict[str, Any], draft: str,
             final: bool = False) -> Generator[dict[str, Any], None, str]:
    """Check shown+piece; emit piece as a delta or raise _Fallback. Returns the new shown text."""
    candidate = shown + piece
    if piece.strip() or final:
        verdict = check_grounding(candidate, context, draft)
        if not verdict.ok:
            missing = ", ".join(f.value for f in verdict.missing)
            raise _Fallback(f"{verdict.reason}: {missing}" if missing else str(verdict.reason))
    if piece:
        yield {"event": "delta", "text": piece}
    return candidate


def _fallback_events(draft: str, reason: str | None, shown: str) -> Iterator[dict[str, Any]]:
    if shown:
        yield {"event": "reset"}
    if draft:
        yield {"event": "delta", "text": draft}
    yield {"event": "done", "text": draft, "tier": "composer", "fallback_reason": reason}


async def astream_reply(*, settings: LLMSettings, draft: str, context: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
    """`stream_reply` as an async iterator (each step runs in a worker thread, the event loop stays free)."""
    events = stream_reply(settings=settings, draft=draft, context=context)
    done = object()
    while True:
        event = await asyncio.to_thread(next, events, done)
        if event is done:
            return
        yield event  # type: ignore[misc]
