"""The guide's conversation reward (FCR 0.4, response time 0.3, emotion fit 0.3), scored by the same
function RL training uses (`finetune.reward.score_conversation`)."""

from __future__ import annotations

from typing import Any

from evals import phrasing
from evals.conversation import ConversationRecord
from finetune.reward import score_conversation

COMPONENTS = ("first_contact_resolution", "response_time", "emotion_fit")


def reward_summary(records: list[ConversationRecord]) -> dict[str, Any]:
    """Mean reward and components over the conversations ({} when there are none)."""
    if not records:
        return {}
    scores = [
        score_conversation(
            transcript(r),
            resolved=r.resolved_first_contact,
            handed_off=r.handoff and not r.task.expect_handoff,
            intent=r.task.intent,
        )
        for r in records
    ]
    out = {"reward": round(sum(float(s["reward"]) for s in scores) / len(scores), 4)}
    for name in COMPONENTS:
        out[f"reward_{name}"] = round(sum(float(s.get(name, 0.0)) for s in scores) / len(scores), 4)
    return out


def transcript(record: ConversationRecord) -> list[dict[str, Any]]:
    """Customer and agent turns in the scorer's format (the customer's simulated emotion included)."""
    out: list[dict[str, Any]] = []
    persona = phrasing.personas().get(record.task.persona)
    emotions = [persona.start_emotion if persona else ("neutral", 0.2)] + list(record.sim_emotions)
    for i, turn in enumerate(record.turns):
        label, intensity = emotions[min(i, len(emotions) - 1)]
        out.append(
            {
                "role": "customer",
                "text": turn.message,
                "intent": record.task.intent,
                "emotion": label,
                "intensity": intensity,
            }
        )
        out.append({"role": "agent", "text": turn.reply, "latency_s": turn.latency_ms / 1000.0})
    return out
