"""The intent registry (graph/intents.yaml), loaded once: how each taxonomy intent is served.

Everything in kefu that depends on an intent reads it from here: the router and the DST (kind,
action), the reply package (names, policy topic), the front tier, the NLU's keyword baseline and
label order, the data pipeline and the reward (finetune/). See graph/intents.yaml for the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

Kind = Literal["read", "write", "policy", "social"]
REGISTRY_PATH = Path(__file__).with_name("intents.yaml")
LIST_ORDERS_ACTION = "action_list_orders"
"""The read action that lists a user's orders (not the action of any intent: the DST uses it)."""


@dataclass(frozen=True)
class Intent:
    """One row of the registry."""

    name: str
    kind: Kind
    front_tier: bool
    names: dict[str, str]
    action: str | None = None
    topic: dict[str, str] = field(default_factory=dict)
    policy_terms: tuple[str, ...] = ()
    keywords: str | None = None
    keyword_rank: int | None = None
    resolution_cues: tuple[str, ...] = ()

    def display_name(self, language: str) -> str:
        """How kefu names this request to a customer or an agent ("退货申请", "return request")."""
        return self.names["en" if language == "en" else "zh"]


def _load() -> dict[str, Intent]:
    raw = yaml.safe_load(REGISTRY_PATH.read_text(encoding="utf-8"))
    registry = {}
    for name, row in raw.items():
        row = dict(row)
        registry[name] = Intent(name=name, kind=row.pop("kind"), front_tier=bool(row.pop("front_tier")),
                                names=dict(row.pop("names")), topic=dict(row.pop("topic", None) or {}),
                                policy_terms=tuple(row.pop("policy_terms", ())),
                                resolution_cues=tuple(row.pop("resolution_cues", ())), **row)
    return registry


REGISTRY: dict[str, Intent] = _load()
INTENTS: tuple[str, ...] = tuple(REGISTRY)
"""Every intent, in the taxonomy's order (the label order of the trained NLU)."""

ACTION_FOR_INTENT: dict[str, str] = {i.name: i.action for i in REGISTRY.values() if i.action}
"""intent -> the rasa-sdk action that serves it (read and write intents)."""
READ_ACTIONS: frozenset[str] = frozenset(
    {i.action for i in REGISTRY.values() if i.kind == "read" and i.action} | {LIST_ORDERS_ACTION})
POLICY_INTENTS: frozenset[str] = frozenset(i.name for i in REGISTRY.values() if i.kind == "policy")
"""Intents answered from the policy knowledge base."""
FRONT_TIER_INTENTS: frozenset[str] = frozenset(i.name for i in REGISTRY.values() if i.front_tier)
"""Asks the front tier answers from the store and a template, never with a large model."""
TASK_INTENTS: frozenset[str] = frozenset(ACTION_FOR_INTENT) | POLICY_INTENTS
"""Intents that start or continue a task (the DST's active intent)."""


def display_name(intent: str | None, language: str) -> str | None:
    """The registry's name of an intent in `language`, or None for an unknown intent."""
    row = REGISTRY.get(intent or "")
    return row.display_name(language) if row else None
