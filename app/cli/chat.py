"""`kefu chat`: one conversation turn against the same persistent state the web UI uses."""

from __future__ import annotations

import argparse

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("chat", help="run one turn of a conversation")
    p.add_argument("message", help="the customer's message")
    p.add_argument("--session", required=True, help="conversation id (reuse it to continue)")
    p.add_argument("--user", required=True, help="the shopper's user id, e.g. demo")
    p.add_argument("--json", action="store_true", help="print the whole turn as JSON")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from app.service import ChatError, TurnUnavailable, get_service  # langgraph loads only for chat commands

    try:
        result = get_service(get_settings()).run_turn(args.session, args.user, args.message)
    except ChatError as exc:
        raise CliError(str(exc)) from exc
    except TurnUnavailable as exc:
        raise CliError(f"{exc.result['reply']} ({exc})") from exc
    emit(result if args.json else result["reply"], as_json=args.json)
    return 0
