"""Alembic revisions of kefu's relational schema, one chain per part under versions/<part>/."""
