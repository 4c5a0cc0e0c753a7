"""Run suites for the CLI: options from flags, suites, comparison, gates, and the written report."""

from __future__ import annotations

import argparse
from typing import Any

from evals.compare import Delta, check_gates, compare, load_summary
from evals.metrics import CostModel
from evals.report import write_run
from evals.suites import SuiteOptions, run_suite


def options_from_args(args: argparse.Namespace, settings: Any) -> SuiteOptions:
    """SuiteOptions from the `kefu eval run` flags."""
    return SuiteOptions(
        settings=settings,
        conversations=args.conversations,
        seconds=args.seconds,
        concurrency=args.concurrency,
        server_workers=args.server_workers,
        seed=args.seed,
        base_url=args.base_url,
        source_data_dir=args.data_dir,
        data_path=args.data,
        in_place=args.in_place,
        simulator=args.simulator,
        cost=CostModel(args.cpu_price, args.gpu_price, args.token_price),
        max_requests=args.max_requests,
        tasks_path=args.tasks,
        repeat=args.repeat,
    )


def run_and_report(names: list[str], args: argparse.Namespace, settings: Any) -> dict[str, Any]:
    """Run the named suites, compare with --compare, check --gate, write the outputs."""
    opts = options_from_args(args, settings)
    results = [run_suite(name, opts, args.out) for name in names]
    previous = load_summary(args.compare) if args.compare else None
    deltas: dict[str, list[Delta]] = {}
    if previous is not None:
        for result in results:
            before = previous.get(result.suite, previous) if len(results) > 1 else previous
            deltas[result.suite] = compare(result.summary, before if isinstance(before, dict) else {})
    summary_for_gates = results[0].summary if len(results) == 1 else {r.suite: r.summary for r in results}
    gates = check_gates(summary_for_gates, list(args.gate))
    meta = {
        "mode": "http " + args.base_url
        if args.base_url
        else "in-process, temporary shop"
        if not args.in_place
        else "in-process, in place",
        "seed": args.seed,
    }
    summary = write_run(args.out, results, meta, deltas, gates)
    regressions = [d for ds in deltas.values() for d in ds if d.regression]
    return {"summary": summary, "gates": gates, "regressions": regressions}
