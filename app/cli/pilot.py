"""`kefu pilot show|set|history`: the category pilot (which categories kefu serves, which humans serve)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli import CliError, emit
from app.settings import get_settings

if TYPE_CHECKING:
    from app.pilot import PilotStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pilot", help="the category pilot: bot, human or split per product category")
    verbs = p.add_subparsers(dest="verb", required=True)
    show = verbs.add_parser("show", help="print the pilot settings in force")
    show.add_argument("--json", action="store_true", help="print JSON (the default output)")
    show.set_defaults(func=handle_show)
    change = verbs.add_parser("set", help="set a category's mode (audited; applies to the next turn everywhere)")
    change.add_argument("category", nargs="?", help="catalogue category, e.g. fresh")
    change.add_argument("--default", action="store_true", help="set the mode of every category not set itself")
    change.add_argument("--mode", required=True, choices=["bot", "human", "split"],
                        help="bot: kefu serves; human: hand off with reason pilot; split: by shopper")
    change.add_argument("--share", type=float, default=None,
                        help="split only: share of shoppers the bot serves, 0-1 (default 0.5)")
    change.add_argument("--actor", default="cli", help="name recorded in the audit log")
    change.set_defaults(func=handle_set)
    history = verbs.add_parser("history", help="the audit log of pilot changes, newest first")
    history.add_argument("--json", action="store_true", help="print JSON (the default output)")
    history.set_defaults(func=lambda a: _history())


def _store() -> PilotStore:
    from app.pilot import PilotStore

    return PilotStore(get_settings())


def handle_show(args: argparse.Namespace) -> int:
    emit(_store().show())
    return 0


def handle_set(args: argparse.Namespace) -> int:
    from app.pilot import PilotError

    if args.default == bool(args.category):
        raise CliError("name one CATEGORY or --default")
    try:
        emit(_store().set(None if args.default else args.category, args.mode, args.share, actor=args.actor))
    except PilotError as exc:
        raise CliError(str(exc)) from exc
    return 0


def _history() -> int:
    emit(_store().history())
    return 0
