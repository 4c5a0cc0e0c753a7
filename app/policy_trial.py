"""A test question for the policy editor: how the bot answers it with a draft published, next to how it
answers today, without publishing anything and without touching any conversation, ticket or order.

Each question runs one real turn of the turn graph in a throwaway session (an in-memory checkpointer),
with an empty answer cache and a handoff desk that only notes a handoff, against either the shop's
policies or `KnowledgeBase.with_draft(...)`.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from app.service import OUTPUT_KEYS, turn_result
from app.settings import Settings
from app.wiring import ShopActionRunner, ShopPolicies
from graph.builder import build_graph
from graph.context import TurnContext
from graph.generation.cache import AnswerCache
from graph.ports import PolicyBase

TRIAL_USER = "policy-editor-trial"


class TrialDesk:
    """`HandoffDesk` of a test question: a handoff is reported in the answer, never queued for a person."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open_ticket(self, session_id: str, user_id: str | None, reason: str,
                    state_snapshot: dict[str, Any] | None, explicit: bool = False) -> dict[str, Any]:
        self.opened.append(reason)
        return {"ticket_id": 0, "status": "queued", "position": 1, "created": True, "reason": reason}

    def active_for(self, session_id: str) -> dict[str, Any] | None:
        return None

    def append_messages(self, ticket_id: int, messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {"ticket_id": ticket_id, "appended": 0}

    def close(self, ticket_id: int, agent: str) -> dict[str, Any]:
        return {"ticket_id": ticket_id, "status": "closed"}


class PolicyTrial:
    """Answers test questions for the editor (one per shop and process; turns run one at a time)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.saver = InMemorySaver()
        self.graph = build_graph(self.saver)
        self.shop = ShopActionRunner(settings)
        self.live = ShopPolicies(settings)
        self._lock = threading.Lock()

    def ask(self, question: str, policies: PolicyBase | None = None) -> dict[str, Any]:
        """The chat JSON's `reply` and `citations` (plus `clauses`: the passages of the cited policies, and
        `handoff`) for `question` against `policies` (default: what is served today)."""
        session, desk = f"trial-{uuid.uuid4().hex}", TrialDesk()
        ctx = TurnContext(settings=self.settings, shop=self.shop, policies=policies or self.live, handoffs=desk,
                          answer_cache=AnswerCache(), user_id=TRIAL_USER, session_id=session)
        config: dict[str, Any] = {"configurable": {"thread_id": session}}
        try:
            with self._lock:
                state = self.graph.invoke({"text": question}, config, context=ctx,
                                          output_keys=[*OUTPUT_KEYS, "passages"])
        finally:
            self.saver.delete_thread(session)
        turn = turn_result(state, session)
        cited = {(c["policy_id"], int(c.get("version") or 0)) for c in turn["citations"]}
        clauses = [{k: p.get(k) for k in ("policy_id", "version", "title", "text", "score")}
                   for p in state.get("passages") or [] if (p.get("policy_id"), int(p.get("version") or 0)) in cited]
        return {"reply": turn["reply"], "citations": turn["citations"], "clauses": clauses, "intent": turn["intent"],
                "tier": turn["tier"], "handoff": bool(desk.opened)}
