"""shop: the demo store's tables as kefu created them before migrations (adopted when present).

Revision ID: s0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None

T, N, F = sa.Text, sa.Integer, sa.Float


def c(name: str, kind: type, *args: Any, nullable: bool = False, **kw: Any) -> sa.Column:
    return sa.Column(name, kind(), *args, nullable=nullable, **kw)


def fk(name: str, target: str, kind: type = T) -> sa.Column:
    return sa.Column(name, kind(), sa.ForeignKey(target), nullable=False)


def table(name: str, *columns: Any) -> None:
    op.create_table(name, *columns, if_not_exists=True)


def index(name: str, on: str, columns: list[str]) -> None:
    op.create_index(name, on, columns, if_not_exists=True)


def upgrade() -> None:
    table("meta", c("key", T, primary_key=True), c("value", T))
    table("users", c("user_id", T, primary_key=True), c("name", T), c("phone", T), c("level", T),
          c("balance", F, server_default="0"), c("gift_card_balance", F, server_default="0"))
    table("addresses", c("address_id", N, primary_key=True), fk("user_id", "users.user_id"), c("receiver", T),
          c("phone", T), c("address", T), c("is_default", N))
    table("categories", c("category", T, primary_key=True), c("name_zh", T), c("name_en", T), c("returnable", N))
    table("products", c("sku", T, primary_key=True), c("name", T), c("name_en", T),
          fk("category", "categories.category"), c("price", F), c("returnable", N))
    table("variants", sa.Column("sku", T(), sa.ForeignKey("products.sku"), primary_key=True),
          c("attr", T, primary_key=True), c("value", T, primary_key=True), c("stock", N))
    table("price_history", fk("sku", "products.sku"), c("price", F), c("valid_from", T),
          c("kind", T, server_default="regular"))
    index("price_history_sku", "price_history", ["sku", "valid_from"])
    table("payment_methods", c("method", T, primary_key=True), c("name_zh", T), c("name_en", T),
          c("refund_min_days", N), c("refund_max_days", N))
    table("orders", c("order_id", T, primary_key=True), fk("user_id", "users.user_id"), c("status", T),
          c("created_at", T), *(c(n, T, nullable=True) for n in ("paid_at", "shipped_at", "delivered_at",
                                                                  "cancelled_at")),
          c("total", F), c("shipping_fee", F), c("payment_method", T), c("address", T), c("receiver", T),
          c("phone", T), c("has_shipping_insurance", N))
    index("orders_user", "orders", ["user_id", "created_at"])
    table("order_items", sa.Column("order_id", T(), sa.ForeignKey("orders.order_id"), primary_key=True),
          c("line", N, primary_key=True, autoincrement=False), c("sku", T), c("name", T), c("qty", N),
          c("unit_price", F), c("attrs", T))
    table("shipments", sa.Column("order_id", T(), sa.ForeignKey("orders.order_id"), primary_key=True),
          c("carrier", T), c("tracking_no", T, unique=True), c("shipped_at", T), c("delivered_at", T, nullable=True))
    table("shipment_events", fk("order_id", "orders.order_id"), c("time", T), c("location", T),
          c("description", T))
    index("shipment_events_order", "shipment_events", ["order_id", "time"])
    table("refunds", c("refund_id", N, primary_key=True), fk("order_id", "orders.order_id"), c("source", T),
          c("amount", F), c("method", T), c("status", T), c("created_at", T), c("expected_by", T, nullable=True),
          c("arrived_at", T, nullable=True))
    index("refunds_order", "refunds", ["order_id"])
    table("after_sales", c("request_id", N, primary_key=True), fk("order_id", "orders.order_id"), c("kind", T),
          c("line", N), c("sku", T), c("qty", N), c("reason", T), c("quality_issue", N),
          c("target_attr", T, nullable=True), c("status", T), c("return_shipping_paid_by", T),
          c("refund_amount", F), c("created_at", T))
    index("after_sales_order", "after_sales", ["order_id"])
    table("invoices", c("invoice_id", N, primary_key=True), fk("order_id", "orders.order_id"), c("title_type", T),
          c("title", T), c("tax_id", T, nullable=True), c("amount", F), c("status", T), c("revision", N),
          c("created_at", T))
    index("invoices_order", "invoices", ["order_id"])
    table("price_protection", c("claim_id", N, primary_key=True), fk("order_id", "orders.order_id"), c("line", N),
          c("sku", T), c("paid_price", F), c("current_price", F), c("qty", N), c("amount", F), c("status", T),
          c("created_at", T), sa.UniqueConstraint("order_id", "line"))
    table("urges", c("urge_id", N, primary_key=True), fk("order_id", "orders.order_id"), c("created_at", T),
          c("promised_ship_by", T))
    index("urges_order", "urges", ["order_id"])
    table("demo_cases", c("case_name", T, primary_key=True), c("order_id", T), c("description", T))
    table("action_log", c("log_id", N, primary_key=True), c("at", T), c("user_id", T), c("action", T),
          c("order_id", T, nullable=True), c("args", T), c("before", T), c("after", T))
    index("action_log_order", "action_log", ["order_id"])


def downgrade() -> None:
    for name in ("action_log", "demo_cases", "urges", "price_protection", "invoices", "after_sales", "refunds",
                 "shipment_events", "shipments", "order_items", "orders", "payment_methods", "price_history",
                 "variants", "products", "categories", "addresses", "users", "meta"):
        op.drop_table(name)
