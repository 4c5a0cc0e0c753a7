"""`kefu db upgrade`: bring every part of the relational state to the newest schema (idempotent).

SQLite files under KEFU_DATA_DIR by default, or the Postgres at KEFU_DATABASE_URL. `kefu serve` runs the
same on start. An unreachable database is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("db", help="the relational state's schema (migrations)")
    commands = parser.add_subparsers(dest="db_command", required=True)
    upgrade = commands.add_parser("upgrade", help="apply the schema migrations (idempotent)")
    upgrade.set_defaults(func=handle_upgrade)


def handle_upgrade(args: argparse.Namespace) -> int:
    from app.database import upgrade_all
    from storage import DatabaseUnavailable

    try:
        emit(upgrade_all(get_settings()))
    except DatabaseUnavailable as exc:
        raise CliError(f"database unavailable: {exc}") from exc
    return 0
