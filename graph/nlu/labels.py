"""kefu's copy of the front-tier label contract (shared/spec/taxonomy.yaml), as Python constants.

Every classifier, data generator and test of the NLU uses these names; a test checks that they
match the taxonomy when the spec file is available.
"""

from __future__ import annotations

INTENTS: tuple[str, ...] = (
    "greeting",
    "product_inquiry",
    "promotion_inquiry",
    "price_protection",
    "order_status",
    "cancel_order",
    "modify_order",
    "urge_shipment",
    "logistics_tracking",
    "delivery_problem",
    "return_policy",
    "return_request",
    "exchange_request",
    "refund_status",
    "warranty_repair",
    "invoice",
    "payment_issue",
    "account_issue",
    "complaint",
    "human_agent",
    "other",
)

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

# Intents the front tier may answer on its own (read-only lookups and small talk).
SIMPLE_INTENTS: tuple[str, ...] = ("logistics_tracking", "order_status", "refund_status", "greeting")
