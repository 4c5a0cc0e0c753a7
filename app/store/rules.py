"""The demo shop's rule numbers (time windows, fees, refund times) in one place.

The actions enforce these; the demo policy documents in the knowledge base state the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ORDER_STATUSES: tuple[str, ...] = (
    "pending_payment",
    "paid",
    "processing",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
    "return_in_progress",
    "refunded",
)
BEFORE_SHIPMENT: frozenset[str] = frozenset({"pending_payment", "paid", "processing"})
RECEIVED: frozenset[str] = frozenset({"delivered", "completed"})
PAYMENT_METHODS: tuple[str, ...] = ("alipay", "wechat", "bank_card", "balance", "gift_card")


@dataclass(frozen=True)
class ShopRules:
    """Numbers of the demo shop's service rules."""

    no_reason_return_days: int = 7
    defect_return_days: int = 15
    exchange_days: int = 15
    price_protection_days: int = 30
    invoice_days: int = 180
    invoice_changes: int = 1
    ship_within_hours: int = 48
    free_shipping_over: float = 99.0
    shipping_fee: float = 8.0
    insurance_cover: float = 12.0
    inspection_hours: int = 48
    refund_days: dict[str, tuple[int, int]] = field(
        default_factory=lambda: {
            "balance": (0, 0),
            "gift_card": (0, 0),
            "alipay": (1, 3),
            "wechat": (1, 3),
            "bank_card": (3, 7),
        }
    )
    """Working days (min, max) until a refund arrives, by payment method; (0, 0) means instant."""


RULES = ShopRules()

PAYMENT_NAMES: dict[str, tuple[str, str]] = {
    "alipay": ("支付宝", "Alipay"),
    "wechat": ("微信支付", "WeChat Pay"),
    "bank_card": ("银行卡", "bank card"),
    "balance": ("账户余额", "account balance"),
    "gift_card": ("礼品卡（E卡）", "gift card"),
}


def refund_time_text(method: str) -> tuple[str, str]:
    """How long a refund to `method` takes, in Chinese and English."""
    low, high = RULES.refund_days.get(method, (3, 7))
    if high == 0:
        return "实时到账", "instant"
    return f"{low}-{high}个工作日", f"{low}-{high} working days"


def refundable_total(order: dict[str, Any]) -> float:
    """The order's total minus every refund already made on it (price protection included)."""
    refunded = sum(float(r.get("amount") or 0.0) for r in order.get("refunds") or [])
    return round(max(float(order["total"]) - refunded, 0.0), 2)


def refund_is_instant(method: str) -> bool:
    """Refunds to balance and gift cards arrive at once."""
    return RULES.refund_days.get(method, (3, 7))[1] == 0
