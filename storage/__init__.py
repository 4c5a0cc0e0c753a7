"""kefu's relational state: one SQLite file per part under the data dir, or one Postgres for all of it.

The bottom layer: `knowledge`, `graph` and `app` open their tables through it, and it imports none of them.

- `Database` (database.py): a SQLite file or a Postgres pool, the same `?`-parameter SQL on both, rows that
  answer `row["column"]` and `row[0]`, transactions in which writers take turns (`BEGIN IMMEDIATE` on SQLite,
  a per-part advisory lock on Postgres), connection loss raised as `DatabaseUnavailable`.
- `open_database(settings, part)`: the database of one part (`shop`, `service`, `kb`) of a deployment,
  its schema migrated to the newest version on first use (migrate.py, Alembic; `kefu db upgrade`).
- `SessionLocks` (locks.py): one conversation's turns never run at once, across processes and machines.
"""

from storage.database import Database, DatabaseUnavailable, IntegrityError, Row
from storage.deployment import PARTS, DeploymentSettings, database_url, open_database
from storage.locks import SessionBusy, SessionLocks

__all__ = ["PARTS", "Database", "DatabaseUnavailable", "DeploymentSettings", "IntegrityError", "Row",
           "SessionBusy", "SessionLocks",
           "database_url", "open_database"]
