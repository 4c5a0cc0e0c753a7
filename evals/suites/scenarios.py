"""`scenarios`: an evaluator's own scenario file (`--tasks FILE.yaml`), each scenario judged from the store.

In-process every play of every scenario gets its own fresh copy of the shop (as tau-bench resets its
environment per task), so scenarios never compete for an order and `--repeat K` plays the same shop
K times with K simulator seeds. Against `--base-url` (or `--in-place`) they share that one shop, in order.
The summary reports `pass_rate` (pass^1: the share of plays that passed) and `pass_hat_k` (pass^k: the
share of scenarios that passed all K plays), with the reason of every failed expectation.
"""

from __future__ import annotations

from math import comb
from pathlib import Path
from typing import Any

from evals.env import EvalEnv, open_env, shop_template
from evals.scenario_file import load_scenarios
from evals.scenario_play import ScenarioRun, play
from evals.scenarios import STATUSES, Scenario, ScenarioFileError
from evals.simulators import make_simulator
from evals.suites.base import SuiteError, SuiteOptions, SuiteResult, log


def run_scenarios(opts: SuiteOptions) -> SuiteResult:
    """Play every scenario `opts.repeat` times and judge each play."""
    if opts.tasks_path is None:
        raise SuiteError("--suite scenarios needs --tasks FILE.yaml (example: evals/examples/shop_scenarios.yaml)")
    scenarios = load_scenarios(opts.tasks_path)
    repeat = max(1, int(opts.repeat))
    shared = bool(opts.base_url) or opts.in_place
    template, drop_template = (None, None) if shared else shop_template(opts.settings, opts.source_data_dir)
    env = _open(opts, template)
    runs: list[ScenarioRun] = []
    try:
        preflight(scenarios, env, str(opts.tasks_path))
        for r in range(repeat):
            for i, scenario in enumerate(scenarios):
                if runs and not shared:
                    env.close()
                    env = _open(opts, template)
                runs.append(_play(scenario, env, opts, r, opts.seed * 1_000_003 + r * 7919 + i))
            log.info("scenarios: round %d/%d done", r + 1, repeat)
    finally:
        env.close()
        if drop_template is not None:
            drop_template()
    return scenario_result(scenarios, runs, repeat)


def _open(opts: SuiteOptions, template: Path | None) -> EvalEnv:
    """The shared shop (--base-url, --in-place), or a fresh copy of the prepared template."""
    if template is None:
        return open_env(opts.settings, opts.base_url, opts.source_data_dir, opts.in_place)
    return open_env(opts.settings, source=template)


def _play(scenario: Scenario, env: EvalEnv, opts: SuiteOptions, run: int, seed: int) -> ScenarioRun:
    probe = env.probe()
    if probe is None:
        raise SuiteError(f"the shop store {env.settings.store_path} is not readable from here")
    simulator = make_simulator(opts, seed) if scenario.is_goal else None
    return play(scenario, env.client(), probe, env.settings, run, seed, simulator)


def preflight(scenarios: list[Scenario], env: EvalEnv, path: str) -> None:
    """Refuse (one line, exit 2) a file that names a customer, category or policy the shop lacks."""
    probe = env.probe()
    if probe is None:
        raise SuiteError(
            f"the shop store {env.settings.store_path} is not readable from here: "
            "run against a local data dir (KEFU_DATA_DIR of the server)"
        )
    users, categories = set(probe.user_ids()), set(probe.categories())
    policies = _policy_texts(env.settings)
    for s in scenarios:
        where = f"{path}: scenario {s.id!r}"
        if s.user not in users:
            raise ScenarioFileError(f"{where}: user: the shop has no customer {s.user!r}")
        for field, key in s.placeholders():
            unknown = [p for p in key.split("+") if p not in STATUSES and p not in categories]
            if unknown:
                raise ScenarioFileError(
                    f"{where}: {field}: {{order:{key}}}: {unknown[0]!r} is neither an order status nor a "
                    f"category of the shop ({', '.join(sorted(categories))})"
                )
        for i, step in enumerate(s.steps):
            edit = step.policy_change
            for pid in edit.policies if edit else []:
                field = f"{where}: turns[{i}].policy_change"
                if pid not in policies:
                    raise ScenarioFileError(f"{field}.policy: no policy {pid!r} in the knowledge base")
                if edit and edit.old not in policies[pid]:
                    raise ScenarioFileError(f"{field}.old: policy {pid!r} does not state {edit.old!r}")


def _policy_texts(settings: Any) -> dict[str, str]:
    """policy id -> the Markdown of the version served now."""
    from knowledge import open_kb

    kb = open_kb(settings)
    return {str(row["policy_id"]): str(kb.get(str(row["policy_id"]))["markdown"]) for row in kb.list()}


def pass_hat(successes: list[int], n: int, k: int) -> float:
    """pass^k as tau-bench defines it: the chance that k plays drawn from a scenario's n all pass, averaged."""
    if not successes or not 1 <= k <= n:
        return 0.0
    return sum(comb(c, k) / comb(n, k) for c in successes) / len(successes)


def scenario_result(scenarios: list[Scenario], runs: list[ScenarioRun], repeat: int) -> SuiteResult:
    """summary.json (scenarios, passed, pass_rate, pass_hat_k, results) and the report's scenario table."""
    by_id = {s.id: [r for r in runs if r.scenario.id == s.id] for s in scenarios}
    successes = [sum(r.passed for r in plays) for plays in by_id.values()]
    results = [_result(s, by_id[s.id], repeat) for s in scenarios]
    turns = [t for r in runs for t in r.turns]
    hats = {str(k): round(pass_hat(successes, repeat, k), 4) for k in range(1, repeat + 1)}
    summary: dict[str, Any] = {
        "scenarios": len(scenarios),
        "passed": sum(1 for r in results if r["passed"]),
        "pass_rate": round(sum(r.passed for r in runs) / len(runs), 4) if runs else 0.0,
        "repeat": repeat,
        "pass_hat_k": hats[str(repeat)],
        "pass_hat": hats,
        "conversations": len(runs),
        "turns": len(turns),
        "errors": sum(1 for t in turns if t.error),
        "handoff_rate": round(sum(1 for r in runs if any(t.handoff for t in r.turns)) / len(runs), 4)
        if runs
        else 0.0,
        "results": results,
    }
    charts = {
        "scenarios": [
            {**result, "description": s.description, "plays": [r.to_json() for r in by_id[s.id]]}
            for s, result in zip(scenarios, results, strict=True)
        ]
    }
    return SuiteResult("scenarios", summary, charts, [r.to_json() for r in runs])


def _result(scenario: Scenario, plays: list[ScenarioRun], repeat: int) -> dict[str, Any]:
    failures = [
        (f"run {r.run + 1}: {reason}" if repeat > 1 else reason) for r in plays for reason in r.failures
    ]
    return {
        "id": scenario.id,
        "kind": "goal" if scenario.is_goal else "scripted",
        "passed": bool(plays) and all(r.passed for r in plays),
        "runs_passed": sum(r.passed for r in plays),
        "runs": len(plays),
        "failures": failures,
    }
