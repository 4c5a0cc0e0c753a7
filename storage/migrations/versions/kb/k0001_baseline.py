"""kb: the policy registry (policies, versions, chunks), its audit log and its generation counter, as kefu
created them before migrations (adopted when present).

Revision ID: k0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("policies", sa.Column("id", sa.Text(), primary_key=True),
                    sa.Column("created_at", sa.Text(), nullable=False), sa.Column("retired_at", sa.Text()),
                    sa.Column("retired_by", sa.Text()), if_not_exists=True)
    op.create_table("versions", sa.Column("policy_id", sa.Text(), sa.ForeignKey("policies.id"), primary_key=True),
                    sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
                    *(sa.Column(name, sa.Text(), nullable=False) for name in ("title", "category", "locale")),
                    sa.Column("effective_from", sa.Text()), sa.Column("effective_to", sa.Text()),
                    sa.Column("body", sa.Text(), nullable=False),
                    sa.Column("withdrawn", sa.Integer(), nullable=False, server_default="0"),
                    sa.Column("created_at", sa.Text(), nullable=False), sa.Column("editor", sa.Text(), nullable=False),
                    if_not_exists=True)
    op.create_table("chunks", sa.Column("policy_id", sa.Text(), primary_key=True),
                    sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
                    sa.Column("idx", sa.Integer(), primary_key=True, autoincrement=False),
                    sa.Column("text", sa.Text(), nullable=False), sa.Column("terms", sa.Text(), nullable=False),
                    if_not_exists=True)
    op.create_table("audit", sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
                    sa.Column("ts", sa.Text(), nullable=False), sa.Column("editor", sa.Text(), nullable=False),
                    sa.Column("policy_id", sa.Text(), nullable=False), sa.Column("action", sa.Text(), nullable=False),
                    sa.Column("from_version", sa.Integer()), sa.Column("to_version", sa.Integer()),
                    sa.Column("detail", sa.Text(), nullable=False, server_default=""), sqlite_autoincrement=True,
                    if_not_exists=True)
    op.create_index("audit_policy", "audit", ["policy_id", "seq"], if_not_exists=True)
    op.create_table("meta", sa.Column("key", sa.Text(), primary_key=True),
                    sa.Column("value", sa.Text(), nullable=False), if_not_exists=True)
    op.execute("INSERT INTO meta(key, value) VALUES ('generation', '0') ON CONFLICT DO NOTHING")


def downgrade() -> None:
    for name in ("meta", "audit", "chunks", "versions", "policies"):
        op.drop_table(name)
