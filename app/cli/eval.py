"""`kefu eval`: list the evaluation suites and run them (summary.json + report.html).

Without --base-url a run talks to kefu in-process over a fresh temporary copy of the demo shop
(a new data dir), so it never changes a real shop; `load` starts its own `kefu serve` on loopback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kefu eval list` and `kefu eval run`."""
    p = sub.add_parser(
        "eval", help="evaluation suites: simulated customers, stress, load, NLU, KB, cache, scenarios, replay"
    )
    esub = p.add_subparsers(dest="eval_command", required=True)
    esub.add_parser("list", help="name the suites").set_defaults(func=handle_list)
    r = esub.add_parser("run", help="run one suite (or several, comma-separated) and write a report")
    r.add_argument(
        "--suite", required=True, help="suite name(s): nlu, kb, dialog, stress, cache, load, scenarios, replay, shop"
    )
    r.add_argument(
        "--out", required=True, type=Path, help="output folder (summary.json, report.html, records.jsonl)"
    )
    r.add_argument(
        "--conversations", type=int, default=None, help="conversations (or examples/queries) to run"
    )
    r.add_argument("--seconds", type=float, default=None, help="duration of the load suite (default 20)")
    r.add_argument("--concurrency", type=int, default=4, help="concurrent customers of the load suite")
    r.add_argument("--server-workers", type=int, default=2,
                   help="worker processes of the kefu serve the load suite starts (default 2)")
    r.add_argument("--seed", type=int, default=7, help="seed of tasks, personas and phrasing")
    r.add_argument(
        "--base-url", default=None, help="a running kefu serve (default: in-process on a temp shop)"
    )
    r.add_argument("--data-dir", type=Path, default=None, help="copy this data dir into the temp shop first")
    r.add_argument(
        "--data",
        type=Path,
        default=None,
        help="examples file of the nlu/kb/shop suites (default: shipped set); conversations (JSONL) of replay",
    )
    r.add_argument("--tasks", type=Path, default=None, help="scenario file (YAML) of the scenarios suite")
    r.add_argument(
        "--repeat", type=int, default=1, help="plays of each scenario, each with its own seed (reports pass^k)"
    )
    r.add_argument("--in-place", action="store_true", help="use KEFU_DATA_DIR itself (changes its orders!)")
    r.add_argument(
        "--simulator",
        choices=["rules", "llm"],
        default="rules",
        help="rule-based customers, or LLM-voiced ones (needs KEFU_LLM_BASE_URL)",
    )
    r.add_argument("--compare", type=Path, default=None, help="previous run folder: flag regressions")
    r.add_argument(
        "--gate", action="append", default=[], help="e.g. fcr>=0.85 (repeatable); exit 1 if one fails"
    )
    r.add_argument(
        "--cpu-price", type=float, default=0.35, help="CNY per CPU core-hour (cost of non-LLM turns)"
    )
    r.add_argument("--gpu-price", type=float, default=20.0, help="CNY per GPU hour (cost of LLM turns)")
    r.add_argument(
        "--token-price", type=float, default=0.0, help="CNY per 1k tokens reported by the LLM tier"
    )
    r.add_argument("--max-requests", type=int, default=20000, help="request cap of the load suite")
    r.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    r.set_defaults(func=handle_run)


def handle_list(args: argparse.Namespace) -> int:
    """Print the suites and what each measures."""
    from evals.suites import SUITES

    emit([{"suite": name, "description": text} for name, text in SUITES.items()])
    return 0


def handle_run(args: argparse.Namespace) -> int:
    """Run the suites, write the report, exit 1 when a gate fails."""
    from evals.runner import run_and_report
    from evals.suites import SUITES, SuiteError

    names = [n.strip() for n in str(args.suite).split(",") if n.strip()]
    unknown = [n for n in names if n not in SUITES]
    if not names or unknown:
        raise CliError(f"unknown suite {', '.join(unknown) or '(none)'}; known: {', '.join(SUITES)}")
    _check_numbers(args, names)
    if not args.quiet:
        progress = logging.getLogger("kefu.evals")
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("kefu eval: %(message)s"))
        progress.addHandler(handler)
        progress.setLevel(logging.INFO)
        progress.propagate = False
    try:
        outcome = run_and_report(names, args, get_settings())
    except (SuiteError, FileNotFoundError, ValueError, TimeoutError) as exc:
        raise CliError(str(exc)) from exc
    emit(outcome["summary"])
    failed = [g for g in outcome["gates"] if not g.passed]
    for gate in failed:
        print(f"kefu eval: gate failed: {gate.gate} (value {gate.value})", file=sys.stderr)
    for delta in outcome["regressions"]:
        print(f"kefu eval: regression: {delta.key} {delta.before} -> {delta.after}", file=sys.stderr)
    return 1 if failed else 0


def _check_numbers(args: argparse.Namespace, suites: list[str]) -> None:
    if args.conversations is not None and not 1 <= args.conversations <= 100000:
        raise CliError("--conversations must be between 1 and 100000")
    if args.seconds is not None and not 0 < args.seconds <= 3600:
        raise CliError("--seconds must be in (0, 3600]")
    if not 1 <= args.concurrency <= 256:
        raise CliError("--concurrency must be between 1 and 256")
    if not 1 <= args.server_workers <= 32:
        raise CliError("--server-workers must be between 1 and 32")
    if args.base_url and not str(args.base_url).startswith(("http://", "https://")):
        raise CliError("--base-url must start with http:// or https://")
    if args.data is not None and not args.data.is_file():
        raise CliError(f"--data: no file at {args.data}")
    if not 1 <= args.repeat <= 100:
        raise CliError("--repeat must be between 1 and 100")
    if "scenarios" in suites and args.tasks is None:
        raise CliError("--suite scenarios needs --tasks FILE.yaml (example: evals/examples/shop_scenarios.yaml)")
    if args.tasks is not None and not args.tasks.is_file():
        raise CliError(f"--tasks: no file at {args.tasks}")
    if "replay" in suites and args.data is None:
        raise CliError("--suite replay needs --data FILE.jsonl (past conversations in the finetune dialogue format)")
    if "replay" in suites and args.in_place:
        raise CliError("--suite replay never runs --in-place: it replays on a copy so the real shop is never written")
    if (
        args.compare is not None
        and not (args.compare / "summary.json").exists()
        and not args.compare.is_file()
    ):
        raise CliError(f"--compare: no summary.json in {args.compare}")
    from evals.compare import parse_gate

    for gate in args.gate:
        try:
            parse_gate(gate)
        except ValueError as exc:
            raise CliError(str(exc)) from exc
