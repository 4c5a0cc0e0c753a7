"""`kefu nlu "TEXT"` and `kefu nlu --jsonl`: the front-tier analysis of customer messages."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `nlu` subcommand."""
    parser = sub.add_parser("nlu", help="intent, entities, emotion and language of a message")
    parser.add_argument("text", nargs="?", help="the message to analyse")
    parser.add_argument(
        "--jsonl", action="store_true", help='read {"text": ...} lines on stdin, write one result a line'
    )
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Analyse one message, or a JSON-lines stream when --jsonl is given."""
    from graph.nlu import load_nlu

    if args.jsonl == (args.text is not None):
        raise CliError('give either a TEXT argument or --jsonl (one {"text": ...} object per line on stdin)')
    nlu = load_nlu(get_settings())
    if not args.jsonl:
        emit(nlu.analyze(args.text))
        return 0
    return _stream(nlu)


def _stream(nlu: Any) -> int:
    """One result per input line, in order; a bad line yields an error object and a non-zero exit."""
    failed = 0
    out = sys.stdout
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            failed += 1
            print(f"kefu: line {number}: expected a JSON object with a string 'text'", file=sys.stderr)
            out.write(json.dumps({"error": "expected a JSON object with a string 'text'", "line": number}) + "\n")
            continue
        result = {**record, **nlu.analyze(record["text"])}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return 2 if failed else 0
