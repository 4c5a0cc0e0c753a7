"""Preprocess: normalise and guard the customer message, reset per-turn fields."""

from __future__ import annotations

import re
import unicodedata

from langgraph.runtime import Runtime

from graph.context import TurnContext
from graph.state import PER_TURN_DEFAULTS, DialogueState

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"\s+")


def normalise(text: str, max_chars: int) -> tuple[str, bool]:
    """NFKC, control characters removed, whitespace collapsed, length capped.

    Returns the clean text and whether it was truncated.
    """
    clean = unicodedata.normalize("NFKC", text or "")
    clean = _SPACES.sub(" ", _CONTROL.sub(" ", clean)).strip()
    truncated = len(clean) > max_chars
    return clean[:max_chars], truncated


def preprocess(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    ctx = runtime.context
    raw = state.get("text", "")
    text, truncated = normalise(raw, ctx.settings.max_message_chars)
    turn = int(state.get("turn", 0)) + 1
    update: dict = dict(PER_TURN_DEFAULTS)
    update.update(
        session_id=ctx.session_id,
        user_id=ctx.user_id,
        text=text,
        turn=turn,
        messages=[{"role": "user", "content": text, "turn": turn}],
        truncated=truncated,
        timings={},
    )
    if not text:
        update.update(guarded=True, intent="other")
    return update
