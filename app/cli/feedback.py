"""`kefu feedback export --out DIR [--since YYYY-MM-DD]`: the conversations rated below 8 or handed off,
as `python -m finetune data` input (DIR/feedback.jsonl), PII scrubbed with finetune's scrubber."""

from __future__ import annotations

import argparse
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from app.cli import CliError, emit
from app.cli.kpis import parse_day
from app.settings import get_settings

if TYPE_CHECKING:
    from app.feedback import FeedbackConversation
    from finetune.dialogues import Dialogue

FAILURE_REASONS = {"unresolved_turns", "repeated_question", "high_anger", "write_not_allowed"}
"""Handoff reasons that say the bot's answers failed (its turns then get no loss, like a low rating's)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("feedback", help="the feedback loop: conversations for the next training round")
    verbs = p.add_subparsers(dest="verb", required=True)
    export = verbs.add_parser("export", help="write DIR/feedback.jsonl (finetune dialogue format, PII scrubbed)")
    export.add_argument("--out", required=True, help="folder to write feedback.jsonl into")
    export.add_argument("--since", default=None, help="only conversations started on or after this day (YYYY-MM-DD)")
    export.set_defaults(func=handle_export)


def _dialogue(found: FeedbackConversation, tz: tzinfo) -> Dialogue:
    from finetune.dialogues import dialogue_from_state

    dialogue = dialogue_from_state(found.session_id, found.state, rating=found.rating)
    dialogue.category, dialogue.created_at = found.category, found.started_iso(tz)
    reasons = sorted({str(t["reason"]) for t in found.tickets})
    meta: dict[str, Any] = {"feedback": True, "feedback_reasons": found.reasons, "handoff": bool(found.tickets),
                            "handoff_reasons": reasons}
    closed = found.closed_by
    if closed:
        said = [m["content"] for m in found.state.get("messages") or []
                if m.get("role") == "agent" and not m.get("notice") and str(m.get("content", "")).strip()]
        meta["resolution"] = {"by": "human", "agent": closed.get("agent"), "status": "closed",
                              "text": said[-1] if said else None}
        if said:
            dialogue.resolved = True  # a person finished it: their last word is the resolution to learn
    if FAILURE_REASONS & set(reasons):
        meta["no_loss_turns"] = [i for i, t in enumerate(dialogue.turns) if t.role == "agent" and t.by == "bot"]
    dialogue.meta.update(meta)
    return dialogue


def handle_export(args: argparse.Namespace) -> int:
    from app.feedback import feedback_conversations
    from finetune.dialogues import save_dialogues
    from finetune.pii import scrub_dialogues

    since, out = parse_day(args.since), Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out must be a folder: {out} is a file")
    settings = get_settings()
    found = feedback_conversations(settings, since)
    kept, scrub = scrub_dialogues([_dialogue(f, ZoneInfo(settings.shop_timezone)) for f in found])
    try:
        written = save_dialogues(kept, out / "feedback.jsonl")
    except OSError as exc:
        raise CliError(f"cannot write {out / 'feedback.jsonl'}: {exc.strerror}") from exc
    emit({"exported": written, "out": str(out / "feedback.jsonl"), "dropped_for_pii": scrub.dropped,
          "masked": dict(scrub.masked), "since": since.isoformat() if since else None})
    return 0
