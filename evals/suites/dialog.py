"""`dialog`: simulated customers with goals against kefu's /api/chat; verdicts from the store.

Reports first-contact resolution, handoff rate, front-tier share, turns and handling time,
correct actions, fact-in-answer rate, latency and cost per conversation.
"""

from __future__ import annotations

import time

from evals.conversation import ConversationRecord, run_conversation
from evals.env import open_env
from evals.metrics import dialog_metrics, emotion_trajectories, first_turn_intents, group_resolution
from evals.reward_bridge import reward_summary
from evals.simulators import make_simulator
from evals.suites.base import SuiteError, SuiteOptions, SuiteResult, log
from evals.task_catalog import DIALOG_MIX, build_tasks

DEFAULT_CONVERSATIONS = 50


def run_dialog(opts: SuiteOptions, mix: dict[str, float] | None = None, name: str = "dialog") -> SuiteResult:
    """Run N goal-driven conversations (sequentially, so store writes are attributable)."""
    n = opts.conversations or DEFAULT_CONVERSATIONS
    env = open_env(opts.settings, opts.base_url, opts.source_data_dir, opts.in_place)
    try:
        probe = env.probe()
        if probe is None:
            raise SuiteError(
                f"the shop store {env.settings.store_path} is not readable from here: "
                "run against a local data dir (KEFU_DATA_DIR of the server)"
            )
        tasks = build_tasks(probe.orders(), n, opts.seed, mix or DIALOG_MIX, users=probe.user_ids())
        client = env.client()
        nonce = int(time.time())
        records: list[ConversationRecord] = []
        for i, task in enumerate(tasks):
            simulator = make_simulator(opts, seed=opts.seed * 100003 + i)
            records.append(
                run_conversation(client, simulator, task, probe, f"eval-{nonce}-{opts.seed}-{task.task_id}")
            )
            if (i + 1) % 25 == 0:
                log.info("dialog: %d/%d conversations", i + 1, len(tasks))
    finally:
        env.close()
    return dialog_result(name, records, opts)


def dialog_result(name: str, records: list[ConversationRecord], opts: SuiteOptions) -> SuiteResult:
    """Summary, chart data and transcripts of a set of conversations."""
    summary = dialog_metrics(records, opts.cost)
    summary["per_persona"] = group_resolution(records, "persona")
    summary["per_task"] = group_resolution(records, "kind")
    summary.update(reward_summary(records))
    charts = {
        "latency_ms": [round(t.latency_ms, 2) for r in records for t in r.turns],
        "confusion": first_turn_intents(records),
        "per_persona": summary["per_persona"],
        "per_task": summary["per_task"],
        "emotions": emotion_trajectories(records),
        "failures": failure_reasons(records),
        "per_tier": summary["per_tier_latency"],
    }
    return SuiteResult(name, summary, charts, [r.to_json() for r in records])


def failure_reasons(records: list[ConversationRecord]) -> dict[str, int]:
    """How often each kind of verdict failure happened (the first words of each reason)."""
    counts: dict[str, int] = {}
    for r in records:
        reasons = list(r.verdict.reasons) if r.verdict else []
        if r.handoff and not r.task.expect_handoff:
            reasons.append("unrequested handoff")
        if r.outcome == "gave_up":
            reasons.append("customer gave up")
        for reason in reasons:
            key = f"{r.task.kind}: {reason.split(':')[0]}"
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))
