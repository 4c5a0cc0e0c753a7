"""kb: editors' drafts, a version's language twin, and which policy a twin change left outdated (tables and
columns kefu added on open before migrations existed; adopted when present).

Revision ID: k0002
Revises: k0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k0002"
down_revision = "k0001"
branch_labels = None
depends_on = None

COLUMNS = [("versions", "twin", sa.Text), ("policies", "outdated_by", sa.Text),
           ("policies", "outdated_version", sa.Integer)]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table, column, kind in COLUMNS:
        if column not in {c["name"] for c in inspector.get_columns(table)}:
            op.add_column(table, sa.Column(column, kind(), nullable=True))
    op.create_table("drafts", sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                    sa.Column("policy_id", sa.Text()), sa.Column("base_version", sa.Integer()),
                    sa.Column("replaces", sa.Integer()),
                    sa.Column("is_new", sa.Integer(), nullable=False, server_default="0"),
                    sa.Column("markdown", sa.Text(), nullable=False), sa.Column("effective_from", sa.Text()),
                    sa.Column("editor", sa.Text(), nullable=False), sa.Column("created_at", sa.Text(), nullable=False),
                    sa.Column("updated_at", sa.Text(), nullable=False), sqlite_autoincrement=True,
                    if_not_exists=True)


def downgrade() -> None:
    op.drop_table("drafts")
    for table, column, _ in reversed(COLUMNS):
        op.drop_column(table, column)
