"""`kefu accounts`: list, add, set a password, disable or enable editor/agent/admin accounts.

The first editor and first agent are also reconciled from KEFU_ADMIN_* / KEFU_AGENT_* at every start
(app/accounts.py). Passwords are read from stdin (or a prompt), never from the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from app.cli import CliError, emit
from app.settings import get_settings

if TYPE_CHECKING:
    from app.auth import AuthStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("accounts", help="manage editor, agent and admin accounts")
    verbs = p.add_subparsers(dest="verb", required=True)
    verbs.add_parser("list", help="accounts, roles and whether they are disabled").set_defaults(func=handle_list)
    for verb, text in (("add", "create an account"), ("passwd", "set a new password (ends its sessions)")):
        v = verbs.add_parser(verb, help=text + "; the password is read from stdin")
        v.add_argument("login")
        if verb == "add":
            v.add_argument("--role", action="append", required=True, choices=["editor", "agent", "admin"])
        v.set_defaults(func=handle_set)
    for verb in ("disable", "enable"):
        v = verbs.add_parser(verb, help=f"{verb} an account" + (" (ends its sessions)" if verb == "disable" else ""))
        v.add_argument("login")
        v.set_defaults(func=handle_disable)


def _store() -> AuthStore:
    from app.auth import AuthStore

    return AuthStore(get_settings())


def _password() -> str:
    if sys.stdin.isatty():
        first, again = getpass.getpass("new password: "), getpass.getpass("again: ")
        if first != again:
            raise CliError("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def handle_list(args: argparse.Namespace) -> int:
    emit([{"login": a.login, "roles": list(a.roles), "disabled": a.disabled} for a in _store().list_accounts()])
    return 0


def handle_set(args: argparse.Namespace) -> int:
    from app.auth import AuthError

    store = _store()
    try:
        existing = store.get_account(args.login)
        if args.verb == "add" and existing is not None:
            raise CliError(f"account {existing.login!r} exists: use `kefu accounts passwd`")
        if args.verb == "passwd" and existing is None:
            raise CliError(f"unknown account: {args.login!r}")
        roles = args.role if existing is None else existing.roles
        account = store.create_account(args.login, _password(), roles)
    except AuthError as exc:
        raise CliError(str(exc)) from exc
    emit({"login": account.login, "roles": list(account.roles), "sessions_ended": args.verb == "passwd"})
    return 0


def handle_disable(args: argparse.Namespace) -> int:
    from app.auth import AuthError

    try:
        account = _store().set_disabled(args.login, args.verb == "disable")
    except AuthError as exc:
        raise CliError(str(exc)) from exc
    emit({"login": account.login, "disabled": account.disabled})
    return 0
