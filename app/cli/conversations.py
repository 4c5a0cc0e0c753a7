"""`kefu conversations export`: stored conversations with their ratings, in finetune's JSONL format."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("conversations", help="export stored conversations for the training feedback loop")
    verbs = p.add_subparsers(dest="verb", required=True)
    export = verbs.add_parser("export", help="write conversations as finetune JSONL")
    export.add_argument("--out", required=True, help="JSONL file to write")
    export.add_argument("--below", type=int, default=None, help="only conversations rated below this (0-10)")
    export.set_defaults(func=handle_export)


def handle_export(args: argparse.Namespace) -> int:
    from app.ratings import RatingStore
    from app.service import get_service
    from finetune.dialogues import dialogue_from_state, save_dialogues

    if args.below is not None and not 0 <= args.below <= 11:
        raise CliError("--below must be between 0 and 11")
    settings = get_settings()
    service, ratings = get_service(settings), RatingStore(settings)
    dialogues = []
    for session in service.sessions():
        rated = ratings.get(session)
        score = int(rated["rating"]) if rated else None
        if args.below is not None and (score is None or score >= args.below):
            continue
        state = service.read_state(session)
        if state:  # the whole transcript: the state keeps only its last messages
            state = {**state, "messages": service.transcript(session) or state.get("messages") or []}
        if state and state.get("messages"):
            dialogues.append(dialogue_from_state(session, state, rating=score))
    try:
        written = save_dialogues(dialogues, Path(args.out))
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from exc
    emit({"exported": written, "out": str(args.out)})
    return 0
