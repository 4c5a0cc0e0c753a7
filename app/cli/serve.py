"""`kefu serve`: the web app (chat page, editor, console, JSON API).

With KEFU_ENV=production it refuses unsafe settings (one line on stderr, exit 2); in demo mode bound
beyond loopback it prints a loud warning. The configured accounts are reconciled before it listens."""

from __future__ import annotations

import argparse
import sys

from app.cli import CliError
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the chat page, editor, console and API")
    p.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes sharing the same data dir (default 1)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    import uvicorn

    from app.accounts import reconcile_accounts
    from app.api.logs import log_config
    from app.auth import AuthError
    from app.database import upgrade_all
    from app.production import demo_warning, production_problems
    from storage import DatabaseUnavailable

    settings = get_settings()
    if not 1 <= args.workers <= 64:
        raise CliError("--workers must be between 1 and 64")
    if settings.production and (problems := production_problems(settings)):
        raise CliError(f"production mode refused: {problems[0]}")
    try:  # every part's schema at its newest revision before any worker serves
        upgrade_all(settings)
    except DatabaseUnavailable as exc:
        raise CliError(f"database unavailable: {exc}") from exc
    host, port = args.host or settings.host, args.port or settings.port
    if warning := demo_warning(settings, host):
        print(warning, file=sys.stderr)
    if settings.database_url and not settings.chroma_url:
        print("kefu: KEFU_DATABASE_URL without KEFU_CHROMA_URL: this node keeps policy vectors in its own data dir, "
              "so with several nodes a policy changed elsewhere is found by keywords only here; set "
              "KEFU_CHROMA_URL (docs/deploy.md)", file=sys.stderr)
    settings.ensure_dirs()
    try:
        reconcile_accounts(settings)
    except AuthError as exc:
        raise CliError(f"cannot set up the configured accounts: {exc}") from exc
    if args.workers == 1:
        from app.api.main import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_config=log_config(), log_level="info")
    else:  # each worker builds the app from the same KEFU_* settings
        uvicorn.run("app.api.main:create_app", factory=True, host=host, port=port, workers=args.workers,
                    log_config=log_config(), log_level="info")
    return 0
