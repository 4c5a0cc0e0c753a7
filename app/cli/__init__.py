"""The `kefu` command. Each subcommand lives in its own module with a `register(sub)` function."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

# Subcommand modules under app.cli; each defines `register(subparsers)`, which adds its parser(s)
# and sets `func=handler` (handler(args) -> int exit code).
COMMAND_MODULES = ["serve", "chat", "orders", "shop", "db", "nlu", "kb", "llm", "asr", "eval", "conversations",
                   "shopper_token", "accounts", "pilot", "kpis", "feedback"]


class CliError(Exception):
    """A problem with the user's input: printed as one line on stderr, exit code 2."""


def emit(data: Any, as_json: bool = True) -> None:
    """Print one result on stdout (JSON unless told otherwise)."""
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(data)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="kefu customer-service agent")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"app.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"kefu: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: one line, never a traceback
        from storage.database import DatabaseUnavailable

        if isinstance(exc, DatabaseUnavailable):  # an outage of the deployment, not a bug: say which
            print(f"kefu: database unavailable: {exc}", file=sys.stderr)
            return 2
        print(f"kefu: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
