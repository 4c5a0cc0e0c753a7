"""shop: idempotency keys of the order API's writes; explicit display order where SQLite's rowid served.

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None

ORDERED = ("variants", "shipment_events", "demo_cases")


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        if_not_exists=True,
    )
    for name in ORDERED:
        op.add_column(name, sa.Column("pos", sa.Integer(), nullable=True))
        if op.get_bind().dialect.name == "sqlite":  # rows written before this revision keep their old order
            op.execute(f"UPDATE {name} SET pos = rowid")


def downgrade() -> None:
    for name in ORDERED:
        op.drop_column(name, "pos")
    op.drop_table("idempotency_keys")
