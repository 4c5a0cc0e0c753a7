"""`replay` (shadow mode): past conversations replayed through kefu, its replies beside the human agent's.

`--data FILE.jsonl` holds conversations in the `finetune data` dialogue format (finetune/dialogues.py).
Each customer turn is sent to kefu as it was written, in order, in one session per conversation (the
agent's turns are not sent: kefu answers in their place). The report shows, turn by turn, kefu's reply
beside the agent's, the intent and emotion kefu read, where it would have handed off, the figures the
agent stated that kefu's reply lacks or contradicts, and the writes kefu proposed.

In-process the replay runs on a fresh copy of the shop (`--data-dir DIR` copies a real shop's data dir
first), so nothing reaches the real store; it never runs `--in-place`. With `--base-url`, point it at a
server running on a copy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from evals.client import ChatClient
from evals.conversation_quality import REPLY_METRICS
from evals.env import open_env
from evals.replay_record import ReplayConversation, replay_turns
from evals.suites.base import SuiteError, SuiteOptions, SuiteResult, log

DEFAULT_USER = "demo"
"""The shopper a conversation is replayed as when its line names none (`user` or `user_id`)."""

QUALITY_METRICS: dict[str, Callable[[list[list[str]]], float]] = dict(REPLY_METRICS)
"""Conversation-quality metrics over kefu's replies, one list of replies per conversation, each giving a
number for summary.json (issue 21: identical consecutive replies, repeated asks, "cannot help" share).
Register a pure function here (name -> fn) and every replay reports it."""


def run_replay(opts: SuiteOptions) -> SuiteResult:
    """Replay every conversation of `opts.data_path` and compare kefu with the agent, turn by turn."""
    from finetune.dialogues import load_dialogues

    if opts.data_path is None:
        raise SuiteError("--suite replay needs --data FILE.jsonl (past conversations, finetune dialogue format)")
    if opts.in_place:
        raise SuiteError("--suite replay never runs --in-place: it replays on a copy so the real shop is never written")
    loaded = load_dialogues(opts.data_path)
    dialogues = [d for d in loaded.dialogues if any(t.role == "customer" for t in d.turns)]
    if not dialogues:
        raise SuiteError(f"{opts.data_path}: no conversation with a customer turn to replay")
    if opts.conversations:
        dialogues = dialogues[: opts.conversations]
    env = open_env(opts.settings, opts.base_url, opts.source_data_dir, False)
    nonce = int(time.time())
    conversations: list[ReplayConversation] = []
    try:
        client: ChatClient = env.client()
        for i, dialogue in enumerate(dialogues):
            user = str(dialogue.meta.get("user") or dialogue.meta.get("user_id") or DEFAULT_USER)
            session = f"replay-{nonce}-{i}-{dialogue.id}"[:120]
            conversations.append(ReplayConversation(dialogue.id, user, replay_turns(client, session, user, dialogue)))
            if (i + 1) % 25 == 0:
                log.info("replay: %d/%d conversations", i + 1, len(dialogues))
    finally:
        env.close()
    result = replay_result(conversations)
    skipped = [f"line {e['line']}: {e['error']}" for e in loaded.errors]
    result.summary["skipped_lines"] = len(skipped)
    result.notes += [f"skipped {len(skipped)} malformed line(s): " + "; ".join(skipped[:5])] if skipped else []
    return result


def replay_result(conversations: list[ReplayConversation]) -> SuiteResult:
    """summary.json keys and the side-by-side rows of the report."""
    turns = [t for c in conversations for t in c.turns]
    checks = [t.figures for t in turns]
    stated = sum(c.total for c in checks)
    labelled = [t for t in turns if t.gold_intent]
    n = len(conversations)
    summary: dict[str, Any] = {
        "conversations": n,
        "turns": len(turns),
        "handoff_rate": _share(sum(1 for c in conversations if c.handoff_turn is not None), n),
        "would_have_resolved": _share(sum(1 for c in conversations if c.would_have_resolved), n),
        "fact_agreement": _share(sum(len(c.agreed) for c in checks), stated),
        "agent_figures": stated,
        "figures_missing": sum(len(c.missing) for c in checks),
        "figures_contradicted": sum(len(c.contradicted) for c in checks),
        "writes_proposed": sum(len(t.writes) for t in turns),
        "errors": sum(1 for t in turns if t.error),
    }
    if labelled:
        summary["intent_agreement"] = _share(sum(1 for t in labelled if t.intent == t.gold_intent), len(labelled))
    replies = [[t.reply for t in c.turns] for c in conversations]
    summary.update({name: round(float(fn(replies)), 4) for name, fn in QUALITY_METRICS.items()})
    charts = {"replay": [c.to_json() for c in conversations]}
    return SuiteResult("replay", summary, charts, [c.to_json() for c in conversations])


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
