"""`kefu kb ...`: import, search, retire, roll back and inspect the policy knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kefu kb` and its subcommands."""
    parser = sub.add_parser("kb", help="policy knowledge base")
    kb_sub = parser.add_subparsers(dest="kb_command", required=True)

    p = kb_sub.add_parser("import", help="import a Markdown policy file or every *.md below a folder")
    p.add_argument("path")
    p.add_argument("--editor", default="cli", help="name recorded in the audit log")
    p.add_argument("--keep-demo", action="store_true",
                   help="keep the demo policies in force (by default a shop's first import retires them)")
    p.set_defaults(func=_import)

    p = kb_sub.add_parser("search", help="search the policies in force")
    p.add_argument("query", nargs="?", help="the question (omit with --jsonl)")
    p.add_argument("-k", type=int, default=3, help="number of results")
    p.add_argument("--locale", choices=["zh-CN", "en"], default=None)
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--jsonl", action="store_true", help='read {"query": ...} lines on stdin')
    p.set_defaults(func=_search)

    for name, helptext in (("delete", "retire a policy (history kept)"), ("retire", "same as delete")):
        p = kb_sub.add_parser(name, help=helptext)
        p.add_argument("id")
        p.add_argument("--editor", default="cli")
        p.set_defaults(func=_retire)

    p = kb_sub.add_parser("history", help="list the versions of a policy")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_history)

    p = kb_sub.add_parser("rollback", help="serve an earlier version again")
    p.add_argument("id")
    p.add_argument("version", type=int)
    p.add_argument("--editor", default="cli")
    p.set_defaults(func=_rollback)

    p = kb_sub.add_parser("show", help="print a policy as Markdown (or JSON)")
    p.add_argument("id")
    p.add_argument("--version", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_show)

    p = kb_sub.add_parser("list", help="list all policies")
    p.set_defaults(func=lambda a: _run(lambda kb: emit(kb.list())))

    p = kb_sub.add_parser("audit", help="audit log (who changed what, when)")
    p.add_argument("id", nargs="?")
    p.set_defaults(func=lambda a: _run(lambda kb: emit(kb.audit(a.id))))


def _run(action: Any) -> int:
    """Open the shop's knowledge base, run `action(kb)`, and turn domain errors into CliError."""
    from knowledge import KbError, open_kb

    try:
        result = action(open_kb(get_settings()))
    except KbError as exc:
        raise CliError(str(exc)) from None
    return int(result or 0)


def _import(args: argparse.Namespace) -> int:
    from knowledge import import_path

    def act(kb: Any) -> int:
        summary = import_path(kb, args.path, args.editor, keep_demo=args.keep_demo)
        emit(summary)
        stored = summary["imported"] + summary["updated"] + summary["unchanged"]
        if not stored and summary["rejected"]:
            first = summary["rejected"][0]
            raise CliError(f"nothing imported; {first['file']}: {first['error']}")
        if not stored:
            raise CliError(f"no policy files (*.md) under {args.path}")
        return 0

    return _run(act)


def _search(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _run(lambda kb: _search_lines(kb, args.k, args.locale))
    if not args.query or not args.query.strip():
        raise CliError("empty query (give QUERY or use --jsonl)")

    def act(kb: Any) -> None:
        hits = kb.search(args.query, k=args.k, locale=args.locale)
        if args.json:
            emit(hits)
        else:
            for hit in hits:
                emit(f"{hit['score']:.3f}  {hit['policy_id']} v{hit['version']}  {hit['text']}", False)

    return _run(act)


def _search_lines(kb: Any, k: int, locale: str | None) -> int:
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            query = item["query"] if isinstance(item, dict) else None
        except (json.JSONDecodeError, KeyError):
            query = None
        if not isinstance(query, str):
            raise CliError(f'line {number}: expected a JSON object {{"query": "..."}}')
        emit(kb.search(query, k=k, locale=locale))
        sys.stdout.flush()
    return 0


def _retire(args: argparse.Namespace) -> int:
    return _run(lambda kb: emit(kb.retire(args.id, args.editor)))


def _rollback(args: argparse.Namespace) -> int:
    return _run(lambda kb: emit(kb.rollback(args.id, args.version, args.editor)))


def _history(args: argparse.Namespace) -> int:
    def act(kb: Any) -> None:
        rows = kb.history(args.id)
        if args.json:
            emit(rows)
        else:
            for r in rows:
                emit(
                    f"v{r['version']}  {r['status']:<10} {r['effective_from'] or '-':<10} "
                    f"{r['created_at']}  {r['editor']}  {r['title']}",
                    False,
                )

    return _run(act)


def _show(args: argparse.Namespace) -> int:
    def act(kb: Any) -> None:
        doc = kb.get(args.id, args.version)
        emit(doc if args.json else doc["markdown"], args.json)

    return _run(act)
