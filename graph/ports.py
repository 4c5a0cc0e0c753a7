"""What the turn graph needs from the outside world, as protocols that `app/` implements.

The graph never imports the web layer or the shop's store. `app.wiring` builds one `Shop services`
set per shop and hands it to every turn through `graph.context.TurnContext`:

- `GraphSettings`: the settings values the graph reads (app's `Settings` satisfies it as is);
- `ShopActions`: runs a business action (rasa-sdk) for the session's user;
- `PolicyBase`: searches and reads the shop's policies (knowledge's `KnowledgeBase`);
- `HandoffDesk`: opens and reads the human-handoff tickets (`graph.handoff.HandoffQueue`);
- `PilotDesk`: the category pilot's settings and the categories of an order (app/pilot.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Protocol

from storage import DeploymentSettings

ActionMode = Literal["check", "execute"]


class LLMSettings(Protocol):
    """Where the generation tier's model is served, and its limits per reply."""

    @property
    def llm_base_url(self) -> str | None: ...
    @property
    def llm_model(self) -> str: ...
    @property
    def llm_api_key(self) -> str: ...
    @property
    def llm_local_path(self) -> str | None: ...
    @property
    def llm_timeout_s(self) -> float: ...
    @property
    def llm_max_tokens(self) -> int: ...


class QueueSettings(DeploymentSettings, Protocol):
    """Where the handoff tickets live (the service database) and how many humans can hold conversations at once."""

    @property
    def max_concurrent_handoffs(self) -> int: ...
    @property
    def handoff_cooldown_s(self) -> float: ...


class GraphSettings(LLMSettings, Protocol):
    """The settings values a turn reads (see app/settings.py for their meaning and defaults)."""

    @property
    def max_message_chars(self) -> int: ...
    @property
    def unresolved_handoff_turns(self) -> int: ...
    @property
    def handoff_anger_intensity(self) -> float: ...
    @property
    def handoff_complaint_anger_intensity(self) -> float: ...
    @property
    def models_dir(self) -> Path: ...
    @property
    def agent_hours(self) -> str: ...
    @property
    def callback_within_hours(self) -> int: ...


class ShopActions(Protocol):
    """The shop's business actions, run for one user (identity comes from the session, never the text)."""

    def run(self, name: str, *, user_id: str, slots: dict[str, Any], mode: ActionMode = "check",
            request_id: str | None = None) -> dict[str, Any]:
        """The action's outcome: status (done, proposed, refused, not_found, need_slot), result, reason...

        `request_id` names one proposed write (the same on each confirmation and replay of it): the shop's
        order system applies a write with the same id at most once."""
        ...


class PolicyBase(Protocol):
    """The shop's policy knowledge base, as the graph reads it."""

    def search(self, query: str, k: int = 3) -> list[dict[str, Any]]:
        """Effective passages, best first: policy_id, version, title, score, text."""
        ...

    def versions_of(self, ids: list[str]) -> dict[str, int]:
        """The version served now of each policy (0 when it is unknown, retired or not in force)."""
        ...

    def get(self, pid: str, version: int | None = None) -> dict[str, Any]:
        """One stored version of a policy, with its Markdown `body`."""
        ...

    def policy_set_version(self) -> str:
        """The version of the whole set of policies served now: it changes whenever what is served changes
        (publish, a scheduled version starting, retire, restore, rollback), in any process. The answer
        cache is keyed by it."""
        ...


class HandoffDesk(Protocol):
    """The human-handoff tickets of the shop."""

    def open_ticket(self, session_id: str, user_id: str | None, reason: str,
                    state_snapshot: dict[str, Any] | None, explicit: bool = False) -> dict[str, Any]: ...

    def active_for(self, session_id: str) -> dict[str, Any] | None: ...

    def append_messages(self, ticket_id: int, messages: list[dict[str, Any]]) -> dict[str, Any]: ...

    def close(self, ticket_id: int, agent: str) -> dict[str, Any]: ...


class PilotDesk(Protocol):
    """The category pilot: how each product category is served, and which categories an order holds.

    Read afresh every turn, so a change made by any process applies to the next turn everywhere."""

    def pilot_settings(self) -> dict[str, Any]:
        """`{"default": {"mode"}, "categories": {CATEGORY: {"mode", "share"?}}}`; mode is bot, human or
        split, and a split's `share` is the share of shoppers the bot serves."""
        ...

    def order_categories(self, user_id: str, order_id: str) -> list[str]:
        """The categories of the items of `user_id`'s order, in item order ([] for an unknown or another
        user's order)."""
        ...
