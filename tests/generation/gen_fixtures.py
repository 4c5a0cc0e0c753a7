"""Fixture policies and questions for the generation tests (see data/*.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


def load_policies() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((DATA / "policies.yaml").read_text(encoding="utf-8"))


def load_questions() -> list[dict[str, Any]]:
    return yaml.safe_load((DATA / "questions.yaml").read_text(encoding="utf-8"))


def passages_for(ids: list[str], policies: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Passages as the knowledge base returns them, best first, with decreasing scores."""
    policies = policies or load_policies()
    return [
        {"policy_id": pid, "version": policies[pid]["version"], "title": policies[pid]["title"],
         "score": round(0.8 - 0.15 * i, 2), "text": policies[pid]["text"]}
        for i, pid in enumerate(ids)
    ]


def passages_of(*docs: tuple[str, str, str], top: float = 0.8) -> list[dict[str, Any]]:
    """Passages of (policy_id, title, text) docs, best first."""
    return [{"policy_id": pid, "version": 1, "title": title, "score": round(top - 0.1 * i, 2), "text": text}
            for i, (pid, title, text) in enumerate(docs)]


def policy_answer(question: str, *docs: tuple[str, str, str], language: str = "zh") -> str:
    """The composer's grounded answer to `question` from the docs (fails the test when it is not grounded)."""
    from graph.reply.policy import compose_policy_answer

    answer = compose_policy_answer(question, passages_of(*docs), language=language, emotion=None, intent=None)
    assert answer["grounded"], answer
    return answer["text"]
