"""Prompt assembly for the LLM tier, in one place, from the data files under prompts/.

The system message holds only the fixed rules, so every request starts with the same bytes and
vLLM's prefix cache can reuse it; everything that changes per turn comes after it, fenced as data.
"""

from __future__ import annotations

import json
from typing import Any

from graph.emotion import emotion_trend
from graph.generation.data import load_text, load_yaml
from graph.generation.text import normalise
from graph.reply.tone import tone_key
from graph.reply.wording import reply_language

FENCE_MARKERS = ("⟦", "⟧")
"""Brackets that fence data in the prompt; stripped from data and never allowed in a reply."""
MAX_PASSAGE_CHARS = 1500
MAX_QUESTION_CHARS = 2000
HISTORY_TURNS = 4


def system_prompt() -> str:
    """The fixed rules (no ids, times or per-turn data: byte-stable across requests)."""
    return load_text("prompts/system.md").strip()


def fence_safe(text: Any, limit: int | None = None) -> str:
    """Data made safe to place inside a fence: markers removed, control characters gone, length capped."""
    cleaned = normalise(str(text or ""))
    for marker in FENCE_MARKERS:
        cleaned = cleaned.replace(marker, "")
    return cleaned[:limit] if limit else cleaned


def _passages(passages: list[dict[str, Any]]) -> str:
    blocks = []
    for p in passages or []:
        if not isinstance(p, dict):
            continue
        head = f"⟦policy id={fence_safe(p.get('policy_id'), 80)} version={fence_safe(p.get('version'), 12)}⟧"
        body = fence_safe(p.get("title"), 120) + "\n" + fence_safe(p.get("text"), MAX_PASSAGE_CHARS)
        blocks.append(f"{head}\n{body}\n⟦/policy⟧")
    return "\n".join(blocks)


def _json_block(value: Any) -> str:
    if not value:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return f"⟦data⟧\n{fence_safe(text, 2000)}\n⟦/data⟧"


def _history(history: list[dict[str, Any]] | None) -> str:
    lines = []
    for m in (history or [])[-HISTORY_TURNS:]:
        if isinstance(m, dict):
            lines.append(f"{fence_safe(m.get('role'), 12)}: {fence_safe(m.get('content'), 300)}")
    return f"⟦history⟧\n{chr(10).join(lines)}\n⟦/history⟧" if lines else ""


def build_messages(context: dict[str, Any], draft: str = "") -> list[dict[str, str]]:
    """Chat messages for one reply: the fixed system rules, then this turn's fenced data."""
    guidance = load_yaml("prompts/guidance.yaml")
    empty = guidance["empty"]
    emotion = context.get("emotion") if isinstance(context.get("emotion"), dict) else None
    trend = context.get("trend") or emotion_trend(context.get("emotion_history"))
    user = load_text("prompts/context.md").format(
        passages=_passages(context.get("passages") or []) or empty,
        action_results=_json_block(context.get("action_results")) or empty,
        dst_summary=_json_block(context.get("dst_summary")) or empty,
        history=_history(context.get("history")) or empty,
        emotion_guidance=guidance["tone"][tone_key(emotion, trend)],
        language_instruction=guidance["language"][reply_language(context.get("language"))],
        draft=fence_safe(draft, 2000) or empty,
        question=fence_safe(context.get("question"), MAX_QUESTION_CHARS) or empty,
    )
    return [{"role": "system", "content": system_prompt()}, {"role": "user", "content": user.strip()}]
