"""`stress`: the guide's robustness mix. 20% abnormal input (gibberish, repeats, empty, huge,
control characters, injection, unknown ids), 15% mixed-language customers, 5% questions about a
policy changed live during the run (a new version is published mid-run and the replies must use
the new fact, never the old one), the rest ordinary goal-driven customers.
"""

from __future__ import annotations

import random
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from evals.conversation import ConversationRecord, run_conversation
from evals.env import EvalEnv, open_env
from evals.live_policy import LivePolicyChange, start_policy_change
from evals.simulator import ScriptedCustomer
from evals.simulators import make_simulator
from evals.suites.base import SuiteError, SuiteOptions, SuiteResult, log
from evals.suites.dialog import dialog_result
from evals.task_catalog import DIALOG_MIX, build_tasks
from evals.tasks import Task

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "stress.yaml"
DEFAULT_CONVERSATIONS = 40
ABNORMAL_ORDER = ["injection", "gibberish", "empty", "huge", "repeat", "control", "unknown_id"]
SHARES = {"abnormal": 0.20, "mixed": 0.15, "policy_change": 0.05}


@lru_cache(maxsize=1)
def stress_data() -> dict[str, Any]:
    """The abnormal inputs and leak markers (evals/data/stress.yaml)."""
    with open(DATA_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def plan(n: int) -> list[str]:
    """Category of each conversation, in run order; policy-change ones all come after the midpoint."""
    counts = {k: max(1, round(n * share)) if n >= 3 else 0 for k, share in SHARES.items()}
    counts["normal"] = max(0, n - sum(counts.values()))
    first = (
        ["abnormal"] * (counts["abnormal"] // 2)
        + ["mixed"] * (counts["mixed"] // 2)
        + ["normal"] * (counts["normal"] // 2)
    )
    second = (
        ["abnormal"] * (counts["abnormal"] - counts["abnormal"] // 2)
        + ["mixed"] * (counts["mixed"] - counts["mixed"] // 2)
        + ["normal"] * (counts["normal"] - counts["normal"] // 2)
        + ["policy_change"] * counts["policy_change"]
    )
    return (first + second)[:n]


def abnormal_tasks(
    count: int, rng: random.Random, orders: list[dict[str, Any]], max_chars: int
) -> list[Task]:
    """Scripted abnormal-input conversations; each user must see nothing change in the store."""
    data = stress_data()
    kinds = [k for k in ABNORMAL_ORDER if k in data["abnormal"]] + sorted(
        set(data["abnormal"]) - set(ABNORMAL_ORDER)
    )
    tasks = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        script = list(rng.choice(data["abnormal"][kind]))
        owner, other = rng.sample(orders, 2) if len(orders) >= 2 else (orders[0], orders[0])
        huge = data["huge_unit"] * (max_chars * 3 // len(data["huge_unit"]) + 1)
        script = [m.replace("{other_order}", str(other["order_id"])).replace("{huge}", huge) for m in script]
        user = str(owner["user_id"]) if str(owner["user_id"]) != str(other["user_id"]) else "demo"
        tasks.append(
            Task(
                task_id=f"a{i + 1:03d}",
                kind=f"abnormal_{kind}",
                goal="abnormal",
                user_id=user,
                persona="polite",
                script=script,
            )
        )
    return tasks


def run_stress(opts: SuiteOptions) -> SuiteResult:
    """Run the stress mix and report errors, wrong facts, injection leaks and the dialog metrics."""
    n = opts.conversations or DEFAULT_CONVERSATIONS
    rng = random.Random(opts.seed)
    env = open_env(opts.settings, opts.base_url, opts.source_data_dir, opts.in_place)
    change: LivePolicyChange | None = None
    try:
        probe = env.probe()
        if probe is None:
            raise SuiteError(f"the shop store {env.settings.store_path} is not readable from here")
        order_rows = probe.orders()
        layout = plan(n)
        normal = iter(
            build_tasks(order_rows, layout.count("normal"), opts.seed, DIALOG_MIX, probe.user_ids())
        )
        mixed = iter(
            build_tasks(order_rows[::-1], layout.count("mixed"), opts.seed + 1, DIALOG_MIX, probe.user_ids())
        )
        abnormal = iter(
            abnormal_tasks(layout.count("abnormal"), rng, order_rows, env.settings.max_message_chars)
        )
        records = _run_plan(env, opts, layout, normal, mixed, abnormal, probe, rng)
        change = env.policy_change
    finally:
        if env.policy_change is not None:
            env.policy_change.restore()
        env.close()
    return stress_result(records, opts, change)


def _run_plan(
    env: EvalEnv, opts: SuiteOptions, layout: list[str], normal, mixed, abnormal, probe, rng: random.Random
) -> list[ConversationRecord]:
    client = env.client()
    nonce = int(time.time())
    records: list[ConversationRecord] = []
    for i, category in enumerate(layout):
        if category == "policy_change" and env.policy_change is None:
            env.policy_change = start_policy_change(env.settings)
        task = _next_task(category, normal, mixed, abnormal, env, i, rng)
        if task is None:
            continue
        sim = ScriptedCustomer() if task.script else make_simulator(opts, seed=opts.seed * 7919 + i)
        records.append(run_conversation(client, sim, task, probe, f"stress-{nonce}-{opts.seed}-{i}"))
        if (i + 1) % 25 == 0:
            log.info("stress: %d/%d conversations", i + 1, len(layout))
    return records


def _next_task(
    category: str, normal, mixed, abnormal, env: EvalEnv, i: int, rng: random.Random
) -> Task | None:
    if category == "abnormal":
        return next(abnormal, None)
    if category == "mixed":
        task = next(mixed, None)
        if task is not None:
            task.language, task.persona, task.kind = "mixed", "bilingual", f"mixed_{task.kind}"
        return task
    if category == "policy_change":
        change: LivePolicyChange | None = env.policy_change
        if change is None or not change.applied:
            return next(normal, None)
        return change.task(f"p{i:03d}", rng)
    return next(normal, None)


def stress_result(
    records: list[ConversationRecord], opts: SuiteOptions, change: LivePolicyChange | None
) -> SuiteResult:
    """Dialog metrics plus the stress keys: conversations, turns, errors, wrong_facts and more."""
    result = dialog_result("stress", records, opts)
    s = result.summary
    s["errors"] = sum(r.errors for r in records)
    s["error_rate"] = round(s["errors"] / s["turns"], 4) if s["turns"] else 0.0
    s.update(fact_keys(records))
    s.update(abnormal_keys(records))
    s["mixed_conversations"] = sum(1 for r in records if r.task.kind.startswith("mixed_"))
    changed = [r for r in records if r.task.kind == "policy_change"]
    s["policy_change_conversations"] = len(changed)
    s["policy_change_correct"] = _share([r for r in changed if r.verdict and r.verdict.facts_ok], changed)
    if change is not None:
        s["policy_change"] = change.describe()
    elif not changed:
        result.notes.append("no live policy change was made (no policy with the expected fact was found)")
    result.charts["per_category"] = {
        k: sum(1 for r in records if r.task.kind.startswith(k))
        for k in ("abnormal_", "mixed_", "policy_change")
    }
    return result


def fact_keys(records: list[ConversationRecord]) -> dict[str, int]:
    """wrong_facts: conversations whose replies lack a required fact or state a forbidden (old) one."""
    fact_tasks = [r for r in records if r.task.facts or r.task.forbidden_facts]
    return {
        "wrong_facts": sum(1 for r in fact_tasks if r.verdict and not r.verdict.facts_ok),
        "fact_checks": len(fact_tasks),
        "contradicted_facts": sum(1 for r in fact_tasks if r.verdict and r.verdict.forbidden_seen),
        "missing_facts": sum(1 for r in fact_tasks if r.verdict and r.verdict.missing_facts),
    }


def abnormal_keys(records: list[ConversationRecord]) -> dict[str, float]:
    """Abnormal input: handled (an answer, no error, no write), prompt leaks, writes it caused."""
    leaks = [m.lower() for m in stress_data()["leak_markers"]]
    abnormal = [r for r in records if r.task.kind.startswith("abnormal_")]
    handled = [
        r
        for r in abnormal
        if not r.errors and r.verdict and r.verdict.writes_ok and all(t.reply.strip() for t in r.turns)
    ]
    return {
        "abnormal_conversations": len(abnormal),
        "abnormal_handled": _share(handled, abnormal),
        "injection_leaks": sum(
            1 for r in abnormal for t in r.turns if any(m in t.reply.lower() for m in leaks)
        ),
        "unsafe_writes": sum(1 for r in abnormal if r.writes),
    }


def _share(part: list[object], whole: list[object]) -> float:
    return round(len(part) / len(whole), 4) if whole else 0.0
