"""`kefu shopper-token --user UID [--ttl-s N]`: a token the chat API accepts for that shopper until it expires.

The shop's own login mints the same token (app/shopper.py, SECURITY.md); this command is for tests,
support staff and a shop's integration checks."""

from __future__ import annotations

import argparse

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("shopper-token", help="mint a shopper token for the chat API (needs KEFU_SHOPPER_SECRET)")
    p.add_argument("--user", required=True, help="the shopper's user id")
    p.add_argument("--ttl-s", type=int, default=None, help="lifetime in seconds (default KEFU_SHOPPER_TOKEN_TTL_S)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from app.service import ChatError, check_id
    from app.shopper import mint

    settings = get_settings()
    if not settings.shopper_secret:
        raise CliError("KEFU_SHOPPER_SECRET is not set: there is nothing to sign tokens with")
    try:
        user = check_id(args.user, "user")
    except ChatError as exc:
        raise CliError(str(exc)) from exc
    ttl = settings.shopper_token_ttl_s if args.ttl_s is None else args.ttl_s
    if not 1 <= ttl <= 366 * 86400:
        raise CliError("--ttl-s must be between 1 and 31622400 (a year)")
    emit(mint(settings.shopper_secret, user, ttl), as_json=False)
    return 0
