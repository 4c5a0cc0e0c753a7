"""`kefu nlu "TEXT"` and `kefu nlu --jsonl`: the front-tier analysis of customer messages."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
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
    parser.add_argument(
        "--warm-cache",
        action="store_true",
        help="write the sentence encoder's fast-load cache under KEFU_DATA_DIR/models/cache (about 100 MB)",
    )
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Analyse one message, or a JSON-lines stream when --jsonl is given."""
    from graph.nlu import load_nlu

    if args.warm_cache:
        from graph.nlu.encoder import warm_cache
        from graph.nlu.runtime import encoder_cache_dir

        emit({"cache": str(warm_cache(encoder_cache_dir(get_settings())))})
        return 0
    if args.jsonl == (args.text is not None):
        raise CliError('give either a TEXT argument or --jsonl (one {"text": ...} object per line on stdin)')
    nlu = load_nlu(get_settings())
    if not args.jsonl:
        emit(nlu.analyze(args.text))
        return 0
    return _stream(nlu)


def _stream(nlu: Any) -> int:
    """One result per input line, in order; a bad line yields an error object and a non-zero exit.

    Lines are analysed in batches of whatever has arrived (the sentence encoder is much faster per
    message in a batch), without waiting for more input, so an interactive pipe still gets answers.
    """
    failed = 0
    number = 0
    for lines in _line_batches(sys.stdin.fileno()):
        records: list[dict[str, Any] | None] = []
        for line in lines:
            number += 1
            records.append(_parse_line(line, number) if line.strip() else None)
        good = [r for r in records if isinstance(r, dict) and "error" not in r]
        results = iter(nlu.analyze_many([r["text"] for r in good]))
        out = []
        for record in records:
            if record is None:
                continue
            if "error" in record:
                failed += 1
                print(f"kefu: line {record['line']}: {record['error']}", file=sys.stderr)
                out.append(json.dumps(record, ensure_ascii=False))
            else:
                out.append(json.dumps({**record, **next(results)}, ensure_ascii=False))
        if out:
            sys.stdout.write("\n".join(out) + "\n")
            sys.stdout.flush()
    return 2 if failed else 0


def _parse_line(line: str, number: int) -> dict[str, Any]:
    """The JSON object of one input line, or an error record."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        record = None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return {"error": "expected a JSON object with a string 'text'", "line": number}
    return record


def _line_batches(fd: int, chunk: int = 1 << 16, max_lines: int = 256) -> Iterator[list[str]]:
    """Complete UTF-8 lines from a file descriptor, grouped by what one read returned."""
    pending = b""
    while True:
        data = os.read(fd, chunk)
        if not data:
            break
        pending += data
        *complete, pending = pending.split(b"\n")
        for i in range(0, len(complete), max_lines):
            yield [line.decode("utf-8", errors="replace") for line in complete[i : i + max_lines]]
    if pending.strip():
        yield [pending.decode("utf-8", errors="replace")]
