"""Which retrieved policies the conversation may quote: the ones on the turn's topic.

The knowledge base ranks passages by closeness to the query; a loosely related rule still comes first when
nothing fits ("会不会多收我钱" brought the address-change rule, "我是plus会员" the digital-goods rule). Here,
in the conversation layer, a passage is quoted when it is close to the query (`RELEVANT_SCORE`), or when its
title names the turn's topic (the intent's topic and policy terms, graph/intents.yaml). With none left, the
reply says plainly what kefu can do instead (graph/nodes/respond.py) rather than quote an unrelated rule.
"""

from __future__ import annotations

import re
from typing import Any

from graph.intents import REGISTRY

RELEVANT_SCORE = 0.45
"""A passage scored this well is on topic whatever the intent (fitted on the judged replays of the dev sets:
every quote the judge called unrelated scored below it, e.g. 0.39-0.41 for "你们帮我联系一下啊")."""
_GENERIC_EN = {"question", "request", "enquiry", "problem", "claim", "change"}


def topic_terms(intent: str | None) -> tuple[str, ...]:
    """Words a policy title on this intent's topic contains (Chinese topic and terms, English name words)."""
    row = REGISTRY.get(intent or "")
    if row is None:
        return ()
    english = [w for w in re.findall(r"[a-z]{5,}", row.names.get("en", "").lower()) if w not in _GENERIC_EN]
    return (*row.policy_terms, *row.topic.values(), *english)


def on_topic(passage: dict[str, Any], intent: str | None) -> bool:
    """The passage is close to the query, or its title names the intent's topic."""
    try:
        if float(passage.get("score", 0.0)) >= RELEVANT_SCORE:
            return True
    except (TypeError, ValueError):
        return False
    title = str(passage.get("title") or "").lower()
    return any(term.lower() in title for term in topic_terms(intent))


def relevant_passages(passages: list[dict[str, Any]], intent: str | None) -> list[dict[str, Any]]:
    """The passages the reply may quote, in their order."""
    return [p for p in passages if isinstance(p, dict) and on_topic(p, intent)]


def above(passages: list[dict[str, Any]], min_score: float) -> list[dict[str, Any]]:
    """The passages scored at least `min_score` (the ones the composer would quote)."""
    out = []
    for p in passages:
        try:
            if isinstance(p, dict) and float(p.get("score", 0.0)) >= min_score:
                out.append(p)
        except (TypeError, ValueError):
            continue
    return out
