"""`kefu kpis [--since YYYY-MM-DD] --json`: the live KPIs of the conversations the service stored."""

from __future__ import annotations

import argparse
from datetime import date

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kpis", help="live KPIs (FCR, handoff rate, AHT, CSAT, NPS, latency, cost) from stored chats")
    p.add_argument("--since", default=None, help="only conversations started on or after this day (shop time zone)")
    p.add_argument("--json", action="store_true", help="print JSON (the default output)")
    p.set_defaults(func=handle)


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD day, or CliError naming the bad value."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"--since must be a day as YYYY-MM-DD, got {text!r}") from None


def handle(args: argparse.Namespace) -> int:
    from app.kpis import live_kpis

    emit(live_kpis(get_settings(), parse_day(args.since)))
    return 0
