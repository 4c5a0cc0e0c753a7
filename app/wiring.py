"""The shop's services handed to the turn graph (the protocols of graph/ports.py), built once per shop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.actions.runner import run_action
from app.pilot import ShopPilot
from app.settings import Settings
from graph.context import TurnContext
from graph.generation.cache import AnswerCache
from graph.handoff import HandoffQueue
from graph.ports import ActionMode


class ShopActionRunner:
    """`ShopActions` over kefu's rasa-sdk actions, acting on the store of these settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, name: str, *, user_id: str, slots: dict[str, Any], mode: ActionMode = "check",
            request_id: str | None = None) -> dict[str, Any]:
        return dict(run_action(name, user_id=user_id, slots=slots, mode=mode, settings=self.settings,
                               request_id=request_id))


class ShopPolicies:
    """`PolicyBase` over the shop's knowledge base, opened on first use (seeding a new shop takes seconds)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _kb(self) -> Any:
        from knowledge import open_kb

        return open_kb(self.settings)

    def search(self, query: str, k: int = 3) -> list[dict[str, Any]]:
        return list(self._kb().search(query, k=k))

    def versions_of(self, ids: list[str]) -> dict[str, int]:
        return dict(self._kb().versions_of(ids))

    def get(self, pid: str, version: int | None = None) -> dict[str, Any]:
        return dict(self._kb().get(pid, version))

    def policy_set_version(self) -> str:
        return str(self._kb().policy_set_version())


class GuardedHandoffs:
    """The shop's `HandoffDesk` with a check before each NEW ticket (joining an open one is free).

    The web API passes a check that raises app.limits.RateLimited for a shopper or address over its
    handoff limit; the turn then fails as a whole (nothing saved) and the API answers 429."""

    def __init__(self, desk: HandoffQueue, before_new_ticket: Callable[[], None]) -> None:
        self.desk, self.before_new_ticket = desk, before_new_ticket

    def open_ticket(self, session_id: str, user_id: str | None, reason: str,
                    state_snapshot: dict[str, Any] | None, explicit: bool = False) -> dict[str, Any]:
        if self.desk.active_for(session_id) is None:
            self.before_new_ticket()
        return self.desk.open_ticket(session_id, user_id, reason, state_snapshot, explicit=explicit)

    def active_for(self, session_id: str) -> dict[str, Any] | None:
        return self.desk.active_for(session_id)

    def append_messages(self, ticket_id: int, messages: list[dict[str, Any]]) -> dict[str, Any]:
        return self.desk.append_messages(ticket_id, messages)

    def close(self, ticket_id: int, agent: str) -> dict[str, Any]:
        return self.desk.close(ticket_id, agent)


@dataclass
class ShopServices:
    """Everything a turn of this shop may use besides its dialogue state."""

    settings: Settings
    shop: ShopActionRunner = field(init=False)
    policies: ShopPolicies = field(init=False)
    handoffs: HandoffQueue = field(init=False)
    answer_cache: AnswerCache = field(init=False)
    pilot: ShopPilot = field(init=False)

    def __post_init__(self) -> None:
        self.shop = ShopActionRunner(self.settings)
        self.policies = ShopPolicies(self.settings)
        self.handoffs = HandoffQueue(self.settings)
        # keyed by the served policy set: any change of what is served, by any process, empties it
        self.answer_cache = AnswerCache(policy_set=self.policies.policy_set_version)
        self.pilot = ShopPilot(self.settings)

    def turn(self, user_id: str, session_id: str, before_new_ticket: Callable[[], None] | None = None) -> TurnContext:
        """The context of one turn of `user_id` in `session_id` (`before_new_ticket`: see GuardedHandoffs)."""
        handoffs = self.handoffs if before_new_ticket is None else GuardedHandoffs(self.handoffs, before_new_ticket)
        return TurnContext(settings=self.settings, shop=self.shop, policies=self.policies, handoffs=handoffs,
                           answer_cache=self.answer_cache, user_id=user_id, session_id=session_id,
                           pilot=self.pilot)
