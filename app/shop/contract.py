"""The shop order API's schema: what kefu reads and writes, as pydantic models (the source of openapi.yaml).

A shop implements these endpoints in front of its own order system (`kefu shop serve` does so for the
demo store). Times are shop-local strings "YYYY-MM-DD HH:MM:SS"; money is in yuan.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Text = str | None


class Price(BaseModel):
    price: float
    kind: Literal["regular", "flash_sale"] = Field(description="A flash-sale price gives no price protection.")
    valid_from: str


class Item(BaseModel):
    line: int = Field(description="Line number within the order, from 1.")
    sku: str
    name: str
    qty: int
    unit_price: float = Field(description="Price paid per unit.")
    attrs: dict[str, str] = Field(description="Chosen size/colour, e.g. {\"size\": \"M\"}.")
    category: str | None = Field(description="Product category code, e.g. fresh, electronics, apparel, books.")
    category_zh: Text = None
    category_en: Text = None
    returnable: bool | None = Field(None, description="Whether 7-day no-reason returns apply to the category.")
    current_price: Price | None = Field(None, description="The product's price today (order details only).")


class Event(BaseModel):
    time: str
    location: str
    description: str


class Shipment(BaseModel):
    order_id: str
    carrier: str
    tracking_no: str
    shipped_at: str
    delivered_at: Text
    events: list[Event] = Field(description="Logistics events, oldest first.")


class Refund(BaseModel):
    refund_id: int
    order_id: str
    source: str = Field(description="cancel, return or price_protection.")
    amount: float
    method: str = Field(description="Payment method the money goes back to.")
    status: Literal["processing", "arrived"]
    created_at: str
    expected_by: Text
    arrived_at: Text


class AfterSale(BaseModel):
    request_id: int
    order_id: str
    kind: Literal["return", "exchange"]
    line: int
    sku: str
    qty: int
    reason: str
    quality_issue: bool
    target_attr: Text = Field(description="Exchanges: the wanted attributes as JSON.")
    status: str = Field(description="requested, approved, received, refunded, closed, done.")
    return_shipping_paid_by: str
    refund_amount: float
    created_at: str


class Invoice(BaseModel):
    invoice_id: int
    order_id: str
    title_type: Literal["personal", "company"]
    title: str
    tax_id: Text
    amount: float
    status: Literal["issued", "voided"]
    revision: int
    created_at: str


class PriceClaim(BaseModel):
    claim_id: int
    order_id: str
    line: int
    sku: str
    paid_price: float
    current_price: float
    qty: int
    amount: float
    status: str
    created_at: str


class Urge(BaseModel):
    urge_id: int
    order_id: str
    created_at: str
    promised_ship_by: str


class OrderSummary(BaseModel):
    order_id: str
    user_id: str
    status: Literal["pending_payment", "paid", "processing", "shipped", "delivered", "completed", "cancelled",
                    "return_in_progress", "refunded"]
    created_at: str
    paid_at: Text
    shipped_at: Text
    delivered_at: Text
    cancelled_at: Text
    total: float
    shipping_fee: float
    payment_method: str = Field(description="alipay, wechat, bank_card, balance or gift_card.")
    address: str
    receiver: str
    phone: str
    has_shipping_insurance: bool
    items: list[Item]


class Order(OrderSummary):
    shipment: Shipment | None
    refunds: list[Refund]
    after_sales: list[AfterSale]
    invoices: list[Invoice]
    price_claims: list[PriceClaim]
    urges: list[Urge]


class Category(BaseModel):
    category: str = Field(description="Code, e.g. fresh, electronics, apparel, books.")
    name_zh: str
    name_en: str
    returnable: bool = Field(description="Whether 7-day no-reason returns apply.")


class Variant(BaseModel):
    attr: Literal["size", "colour"]
    value: str
    stock: int


# writes ------------------------------------------------------------------------------------------
class WriteRequest(BaseModel):
    user_id: str = Field(description="The customer kefu acts for; the order must be theirs.")


class DeliveryChange(WriteRequest):
    address: str | None = None
    phone: str | None = None


class ReturnLine(BaseModel):
    line: int
    refund_amount: float = Field(description="What kefu quoted the customer for this line.")


class ReturnCreate(WriteRequest):
    lines: list[ReturnLine] = Field(min_length=1)
    reason: str
    quality_issue: bool
    paid_by: Literal["shop", "insurance", "customer"] = Field(description="Who pays the return shipping.")


class ExchangeCreate(WriteRequest):
    line: int
    attr: Literal["size", "colour"]
    value: str
    to_attrs: dict[str, str]
    reason: str
    quality_issue: bool
    paid_by: Literal["shop", "insurance", "customer"]


class ClaimLine(BaseModel):
    line: int
    current_price: float
    amount: float


class PriceProtectionClaim(WriteRequest):
    claims: list[ClaimLine] = Field(min_length=1)


class InvoiceCreate(WriteRequest):
    title_type: Literal["personal", "company"]
    title: str
    tax_id: str | None = None
    amount: float
    revision: int = Field(ge=0, description="0 for the first invoice; n replaces the one issued as n-1.")


class UrgeCreate(WriteRequest):
    promised_ship_by: str


class WriteResult(BaseModel):
    order_id: str
    order_status: str = Field(description="The order's status after the write.")
    replayed: bool = Field(description="True when this idempotency key was seen before: nothing was done again.")
    log_id: int | None = None
    refund_id: int | None = None
    refund_status: str | None = None
    updated: list[str] | None = None
    request_ids: list[int] | None = None
    request_id: int | None = None
    claim_ids: list[int] | None = None
    invoice_id: int | None = None
    urge_id: int | None = None


class Problem(BaseModel):
    error: Literal["not_found", "refused", "bad_request", "unauthorized", "unavailable"]
    reason_code: str | None = None
    detail: str
