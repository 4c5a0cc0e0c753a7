"""The grounding check every LLM reply passes before a customer sees it.

A reply is grounded when each figure it states (number, duration, amount, percentage) appears in
what kefu knows this turn: the cited passages, the action results, the DST summary and the
composer's draft. It must also not leak the system prompt or the data fences of the prompt.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graph.generation.numbers import Fact, ungrounded_facts
from graph.generation.prompt import FENCE_MARKERS, system_prompt

LEAK_WINDOW = 16
"""A reply sharing this many consecutive characters with the system prompt leaks it."""


@dataclass
class GroundingVerdict:
    """Outcome of the check: ok, or the reason and the offending figures."""

    ok: bool
    reason: str | None = None
    missing: list[Fact] = field(default_factory=list)


def grounding_sources(context: dict[str, Any], draft: str = "") -> list[str]:
    """The texts a reply may take figures from."""
    sources = [str(p.get("text") or "") for p in context.get("passages") or [] if isinstance(p, dict)]
    if context.get("action_results"):
        sources.append(json.dumps(context["action_results"], ensure_ascii=False, default=str))
    if context.get("dst_summary"):
        summary = context["dst_summary"]
        sources.append(summary if isinstance(summary, str) else json.dumps(summary, ensure_ascii=False, default=str))
    if draft:
        sources.append(draft)
    return sources


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def leaks_prompt(reply: str) -> bool:
    """True when the reply repeats a stretch of the system prompt or a data fence marker."""
    squashed = _squash(reply)
    if any(_squash(marker) in squashed for marker in FENCE_MARKERS):
        return True
    windows = _rule_windows()
    return any(squashed[i : i + LEAK_WINDOW] in windows for i in range(max(0, len(squashed) - LEAK_WINDOW + 1)))


@lru_cache(maxsize=1)
def _rule_windows() -> frozenset[str]:
    """Every LEAK_WINDOW-long stretch of the squashed system prompt."""
    rules = _squash(system_prompt())
    return frozenset(rules[i : i + LEAK_WINDOW] for i in range(max(1, len(rules) - LEAK_WINDOW + 1)))


def check_grounding(reply: str, context: dict[str, Any], draft: str = "") -> GroundingVerdict:
    """Check one reply against this turn's knowledge (see module docstring)."""
    if not reply.strip():
        return GroundingVerdict(False, "empty")
    if leaks_prompt(reply):
        return GroundingVerdict(False, "prompt_leak")
    missing = ungrounded_facts(reply, grounding_sources(context, draft))
    if missing:
        return GroundingVerdict(False, "ungrounded_figures", missing)
    return GroundingVerdict(True)
