"""The `Shop` protocol: what kefu's business actions need from a shop's order system.

Two implementations: `DemoShop` (kefu's demo store, SQLite or Postgres) and `HttpShop` (the shop's own
order API at KEFU_SHOP_URL, contract in app/shop/openapi.yaml). Orders, shipments and results are plain
JSON-ready dicts of the shapes the contract describes. Every write carries an idempotency key: the shop
keeps it, so a retried request is answered with the first answer and never cancels or refunds twice.

kefu's actions check the shop's rules before they propose a write and again, on fresh data, before they
send it; the shop re-checks the order's state when it applies the write and refuses (`ShopRefused`) when
the state moved on in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

Order = dict[str, Any]
Result = dict[str, Any]


class ShopError(Exception):
    """The shop's order system did not do what was asked."""


class ShopUnavailable(ShopError):
    """The order system could not be reached, timed out or failed (5xx).

    `outcome_unknown` is True for a write whose request may have reached the shop: kefu does not assume it
    was done, and a retry with the same idempotency key is safe."""

    def __init__(self, message: str, outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.outcome_unknown = outcome_unknown


class ShopRefused(ShopError):
    """The shop refused a write (the order's state does not allow it any more)."""

    def __init__(self, reason_code: str, detail: str = "") -> None:
        super().__init__(detail or reason_code)
        self.reason_code = reason_code
        self.detail = detail or reason_code


class ShopNotFound(ShopError):
    """No such order (or not this user's)."""


class Shop(Protocol):
    """A shop's order system, as kefu's actions use it."""

    # reads -----------------------------------------------------------------------------------
    def orders(self, user_id: str, *, limit: int | None = None, statuses: Iterable[str] | None = None) -> list[Order]:
        """A user's orders, newest first, with their items (sku, name, qty, unit_price, attrs, category)."""
        ...

    def order(self, order_id: str) -> Order | None:
        """One order with user_id, items (category, returnable, current_price), shipment and its events,
        refunds, after_sales, invoices, price_claims and urges; None when it does not exist."""
        ...

    def shipment(self, tracking_no: str) -> dict[str, Any] | None:
        """The parcel with this tracking number: order_id, carrier, times and logistics events (oldest first)."""
        ...

    def variants(self, sku: str) -> list[dict[str, Any]]:
        """Sizes and colours of a product with their stock."""
        ...

    def categories(self) -> list[dict[str, Any]]:
        """The catalogue's categories: category (code), name_zh, name_en, returnable."""
        ...

    # writes (each on behalf of `user_id`, the order's owner, with an idempotency `key`) ---------------
    def cancel_order(self, order_id: str, *, user_id: str, key: str) -> Result:
        """Cancels an order that has not shipped; a paid one is refunded to its payment method."""
        ...

    def change_delivery(self, order_id: str, *, user_id: str, key: str, address: str | None = None,
                        phone: str | None = None) -> Result:
        """Changes the delivery address and/or phone of an order that has not shipped."""
        ...

    def create_return(self, order_id: str, *, user_id: str, key: str, lines: list[dict[str, Any]], reason: str,
                      quality_issue: bool, paid_by: str) -> Result:
        """Opens a return of some order lines ({line, refund_amount}); `paid_by` pays the return shipping."""
        ...

    def create_exchange(self, order_id: str, *, user_id: str, key: str, line: int, attr: str, value: str,
                        to_attrs: dict[str, str], reason: str, quality_issue: bool, paid_by: str) -> Result:
        """Opens an exchange of one order line for another size or colour (reserves one unit of it)."""
        ...

    def claim_price_protection(self, order_id: str, *, user_id: str, key: str,
                               claims: list[dict[str, Any]]) -> Result:
        """Pays the price difference of some lines ({line, current_price, amount}) back to the payment method."""
        ...

    def request_invoice(self, order_id: str, *, user_id: str, key: str, title_type: str, title: str,
                        tax_id: str | None, amount: float, revision: int) -> Result:
        """Issues an electronic invoice; `revision` > 0 replaces the one issued before it."""
        ...

    def urge_shipment(self, order_id: str, *, user_id: str, key: str, promised_ship_by: str) -> Result:
        """Records that the customer asked to hurry the shipment, with the time promised to them."""
        ...


WRITES = ("cancel_order", "change_delivery", "create_return", "create_exchange", "claim_price_protection",
          "request_invoice", "urge_shipment")
"""The write calls of the protocol (each one POST of the HTTP contract)."""
