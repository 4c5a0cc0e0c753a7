"""Run-scoped context of one turn: who is talking, and the shop's services the graph may use.

Identity comes from the session (the web/API/CLI caller), never from the customer's words. The
services are protocols (graph/ports.py) that `app/` implements once per shop (app/wiring.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.ports import GraphSettings, HandoffDesk, PilotDesk, PolicyBase, ShopActions

if TYPE_CHECKING:
    from graph.generation.cache import AnswerCache


@dataclass(frozen=True)
class TurnContext:
    settings: GraphSettings
    """Settings values of the shop (thresholds, limits, where the LLM is served)."""
    shop: ShopActions
    """The shop's business actions (read and write)."""
    policies: PolicyBase
    """The shop's policy knowledge base."""
    handoffs: HandoffDesk
    """The human-handoff tickets."""
    answer_cache: AnswerCache
    """Policy answers already written, keyed by the policy versions they cite."""
    user_id: str
    session_id: str
    pilot: PilotDesk | None = None
    """The category pilot (None: every category is served by the bot)."""
