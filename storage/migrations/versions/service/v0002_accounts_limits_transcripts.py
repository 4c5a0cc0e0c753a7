"""service: disabled accounts, rate-limit counters and the whole transcript of every conversation (tables
and the column kefu added on open before migrations existed; adopted when present).

Revision ID: v0002
Revises: v0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0002"
down_revision = "v0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("accounts")}
    if "disabled" not in columns:
        op.add_column("accounts", sa.Column("disabled", sa.Integer(), nullable=False, server_default="0"))
    op.create_table("rate_limits", sa.Column("key", sa.Text(), primary_key=True),
                    sa.Column("count", sa.Integer(), nullable=False),
                    sa.Column("expires_at", sa.Float(), nullable=False), if_not_exists=True)
    op.create_index("rate_limits_expiry", "rate_limits", ["expires_at"], if_not_exists=True)
    op.create_table("transcript", sa.Column("session_id", sa.Text(), primary_key=True),
                    sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
                    sa.Column("message", sa.Text(), nullable=False), if_not_exists=True)


def downgrade() -> None:
    op.drop_table("transcript")
    op.drop_table("rate_limits")
    op.drop_column("accounts", "disabled")
