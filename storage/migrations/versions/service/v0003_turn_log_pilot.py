"""service: the per-turn log the KPIs read, and the category pilot's settings with their audit (tables kefu
created on open before migrations existed; adopted when present).

Revision ID: v0003
Revises: v0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0003"
down_revision = "v0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turn_log", sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Text(), nullable=False), sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False), sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("ms", sa.Float(), nullable=False), sa.Column("intent", sa.Text()), sa.Column("emotion", sa.Text()),
        sa.Column("tier", sa.Text()), sa.Column("relayed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("resolved", sa.Integer(), nullable=False, server_default="1"), sa.Column("handoff_reason", sa.Text()),
        sa.Column("category", sa.Text()), sa.Column("arm", sa.Text()), sqlite_autoincrement=True, if_not_exists=True)
    op.create_index("turn_log_session", "turn_log", ["session_id", "id"], if_not_exists=True)
    op.create_index("turn_log_started", "turn_log", ["started_at"], if_not_exists=True)
    op.create_table(
        "pilot_settings", sa.Column("category", sa.Text(), primary_key=True),
        sa.Column("mode", sa.Text(), nullable=False), sa.Column("share", sa.Float()),
        sa.Column("updated_at", sa.Float(), nullable=False), sa.Column("updated_by", sa.Text(), nullable=False),
        sa.CheckConstraint("mode IN ('bot','human','split')", name="pilot_settings_mode"), if_not_exists=True)
    op.create_table(
        "pilot_audit", sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float(), nullable=False), sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False), sa.Column("before", sa.Text()),
        sa.Column("after", sa.Text(), nullable=False), sqlite_autoincrement=True, if_not_exists=True)


def downgrade() -> None:
    for name in ("pilot_audit", "pilot_settings", "turn_log"):
        op.drop_table(name)
