"""service: tickets and the handoff queue, agents' heartbeats, accounts and auth tokens, ratings, as kefu
created them before migrations (adopted when present).

Revision ID: v0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0001"
down_revision = None
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('queued','callback','active')")


def _tickets() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("explicit", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("intent", sa.Text()),
        sa.Column("anger", sa.Float(), nullable=False, server_default="0"),
        sa.Column("urgency_base", sa.Float(), nullable=False, server_default="0"),
        sa.Column("summary", sa.Text(), nullable=False, server_default=""),
        sa.Column("slots", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("emotions", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("transcript", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("agent", sa.Text()),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("taken_at", sa.Float()),
        sa.Column("ended_at", sa.Float()),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.CheckConstraint("status IN ('queued','callback','active','returned','closed')", name="tickets_status"),
        sqlite_autoincrement=True,
        if_not_exists=True,
    )
    op.create_index("tickets_one_open_per_session", "tickets", ["session_id"], unique=True, sqlite_where=OPEN,
                    postgresql_where=OPEN, if_not_exists=True)
    op.create_index("tickets_status", "tickets", ["status"], if_not_exists=True)
    op.create_index("tickets_session", "tickets", ["session_id", "id"], if_not_exists=True)
    op.create_table("agent_heartbeats", sa.Column("agent", sa.Text(), primary_key=True),
                    sa.Column("seen_at", sa.Float(), nullable=False), if_not_exists=True)
    op.create_table("ticket_events", sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                    sa.Column("ticket_id", sa.Integer(), nullable=False), sa.Column("at", sa.Float(), nullable=False),
                    sa.Column("actor", sa.Text()), sa.Column("event", sa.Text(), nullable=False),
                    sqlite_autoincrement=True, if_not_exists=True)


def _accounts() -> None:
    op.create_table("accounts", sa.Column("login", sa.Text(), primary_key=True),
                    sa.Column("salt", sa.LargeBinary(), nullable=False),
                    sa.Column("pw_hash", sa.LargeBinary(), nullable=False),
                    sa.Column("roles", sa.Text(), nullable=False), sa.Column("created_at", sa.Float(), nullable=False),
                    if_not_exists=True)
    op.create_table("auth_tokens", sa.Column("token_hash", sa.Text(), primary_key=True),
                    sa.Column("login", sa.Text(), sa.ForeignKey("accounts.login", ondelete="CASCADE"),
                              nullable=False),
                    sa.Column("expires_at", sa.Float(), nullable=False),
                    sa.Column("created_at", sa.Float(), nullable=False), if_not_exists=True)
    op.create_index("auth_tokens_login", "auth_tokens", ["login"], if_not_exists=True)
    op.create_table("login_failures", sa.Column("login", sa.Text(), nullable=False),
                    sa.Column("at", sa.Float(), nullable=False), if_not_exists=True)
    op.create_index("login_failures_login", "login_failures", ["login", "at"], if_not_exists=True)


def upgrade() -> None:
    _tickets()
    _accounts()
    op.create_table("ratings", sa.Column("session_id", sa.Text()), sa.Column("rating", sa.Integer()),
                    sa.Column("comment", sa.Text()), sa.Column("created_at", sa.Text()), if_not_exists=True)
    op.create_index("ratings_one_per_session", "ratings", ["session_id"], unique=True, if_not_exists=True)


def downgrade() -> None:
    for name in ("ratings", "login_failures", "auth_tokens", "accounts", "ticket_events", "agent_heartbeats",
                 "tickets"):
        op.drop_table(name)
