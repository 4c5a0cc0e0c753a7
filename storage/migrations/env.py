"""Alembic environment of kefu: run by storage.migrate on a connection it opens (never from alembic.ini).

Each part (shop, service, kb) has its own chain of revisions (versions/<part>/) and its own version table
(`alembic_version_<part>`), so the parts can share one Postgres database or live in separate SQLite files.
"""

from __future__ import annotations

from alembic import context

config = context.config
part = config.attributes["part"]
connection = config.attributes["connection"]

context.configure(connection=connection, target_metadata=None, version_table=f"alembic_version_{part}",
                  render_as_batch=connection.dialect.name == "sqlite", transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
