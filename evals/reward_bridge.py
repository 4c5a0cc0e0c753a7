"""The guide's conversation reward (FCR 0.4, response time 0.3, emotion fit 0.3), computed by the
finetune helper's shared scorer `evals.reward` when it is installed; absent otherwise."""

from __future__ import annotations

import importlib
from typing import Any

from evals.conversation import ConversationRecord


def reward_summary(records: list[ConversationRecord]) -> dict[str, Any]:
    """{"reward": mean} from evals.reward's conversation scorer, or {} when it is not available."""
    try:
        module = importlib.import_module("evals.reward")
    except ImportError:
        return {}
    scorer = getattr(module, "score_conversation", None)
    if scorer is None or not records:
        return {}
    scores = [float(scorer(conversation_view(r))) for r in records]
    return {"reward": round(sum(scores) / len(scores), 4)}


def conversation_view(record: ConversationRecord) -> dict[str, Any]:
    """A plain-dict view of a conversation for reward scorers."""
    return {"resolved": record.resolved_first_contact, "handoff": record.handoff,
            "turns": [{"user": t.message, "reply": t.reply, "latency_ms": t.latency_ms,
                       "emotion": t.emotion, "tier": t.tier} for t in record.turns]}
