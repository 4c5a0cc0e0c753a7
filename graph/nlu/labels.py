"""The front-tier label contract (shared/spec/taxonomy.yaml), as Python constants (intents from the registry).

Every classifier, data generator and test of the NLU uses these names; a test checks that they
match the taxonomy when the spec file is available.
"""

from __future__ import annotations

from graph.intents import INTENTS as REGISTERED_INTENTS

INTENTS: tuple[str, ...] = REGISTERED_INTENTS
"""The intents, from the registry (graph/intents.yaml), in the taxonomy's order."""

ENTITY_TYPES: tuple[str, ...] = (
    "order_id",
    "tracking_no",
    "phone",
    "amount",
    "quantity",
    "product",
    "address",
    "sku_attr",
)

EMOTIONS: tuple[str, ...] = ("neutral", "positive", "anxious", "angry")

LANGUAGES: tuple[str, ...] = ("zh", "en", "mixed")
