"""Replay real customer turns through the chat API and measure the conversation itself.

Each conversation's customer turns are sent in order, nothing added, on a fresh demo shop (a temporary
data dir, the trained models linked) as a demo-store user with orders. Figures (evals/conversation_quality.py):
identical consecutive replies, conversations asking for the same information three times without
escalating, "cannot help" replies, escalation when stuck. A transcript file is written for a judge.

    python -m evals.bench_conversation --data /work/blind/convs/dev.jsonl --out out/conv-dev
    python -m evals.bench_conversation --data /work/corpora/abcd/conversations.jsonl --range 0:25 --out out/abcd-dev

Input lines: `{"id", "turns": [{"role": "customer"|"agent", "text", "good_agent"?}]}`; only customer turns
are replayed (`good_agent` notes, when present, go into the transcript as hints for the judge).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from evals.conversation_quality import asks, cannot_help, summarize


def load_conversations(path: Path, span: str | None = None) -> list[dict[str, Any]]:
    """The conversations of a JSONL file (optionally lines `start:end`), customer turns only."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if span:
        start, _, end = span.partition(":")
        rows = rows[int(start or 0): int(end) if end else None]
    out = []
    for i, row in enumerate(rows):
        turns = [t for t in row.get("turns") or [] if t.get("role", "customer") == "customer" and t.get("text")]
        if turns:
            out.append({"id": str(row.get("id") or f"conv{i}"), "topic": row.get("topic") or row.get("flow") or "",
                        "turns": turns})
    return out


def replay(client: Any, conversation: dict[str, Any], user: str) -> list[dict[str, Any]]:
    """Send the customer turns in order; each answer's JSON plus the message (an error as its own field)."""
    session = "replay-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in conversation["id"])
    out = []
    for turn in conversation["turns"]:
        result = client.send(session, user, str(turn["text"]))
        out.append({**result.data, "message": turn["text"], "error": result.error,
                    "latency_ms": round(result.latency_ms, 1)})
    return out


def transcript(conversation: dict[str, Any], turns: list[dict[str, Any]], hints: bool) -> str:
    """One conversation as Markdown for a judge: the shopper's words, kefu's reply, the hint when asked."""
    lines = [f"## {conversation['id']} ({conversation['topic']})", ""]
    for source, turn in zip(conversation["turns"], turns, strict=True):
        lines.append(f"**顾客**: {source['text']}")
        reply = str(turn.get("reply") or "").replace("\n", " ")
        handoff = " [转人工]" if (turn.get("handoff") or {}).get("active") else ""
        lines.append(f"**kefu**{handoff}: {reply}")
        if hints and source.get("good_agent"):
            lines.append(f"> hint: {source['good_agent']}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="JSONL conversations")
    parser.add_argument("--range", dest="span", help="lines start:end of the file (e.g. 0:25)")
    parser.add_argument("--user", default="demo", help="demo-store user the shopper is (has orders)")
    parser.add_argument("--out", type=Path, help="folder for summary.json, records.jsonl, transcripts.md")
    parser.add_argument("--sample", type=int, default=0, help="conversations in transcripts.md (0: all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-hints", action="store_true", help="leave the good_agent hints out of transcripts")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.exit(2, f"bench_conversation: no file {args.data}\n")
    conversations = load_conversations(args.data, args.span)
    from app.settings import Settings
    from evals.env import open_env

    env = open_env(Settings())
    try:
        client = env.client()
        replays = [replay(client, conv, args.user) for conv in conversations]
    finally:
        env.close()
    summary = {"data": str(args.data), "range": args.span, **summarize(replays),
               "errors": sum(1 for r in replays for t in r if t.get("error"))}
    if args.out:
        _write(args, conversations, replays, summary)
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return summary


def _write(args: argparse.Namespace, conversations: list[dict[str, Any]], replays: list[list[dict[str, Any]]],
           summary: dict[str, Any]) -> None:
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    with (args.out / "records.jsonl").open("w", encoding="utf-8") as fh:
        for conv, turns in zip(conversations, replays, strict=True):
            rows = [{"message": t["message"], "reply": t.get("reply"), "intent": t.get("intent"),
                     "asks": sorted(asks(t)), "cannot_help": cannot_help(t), "handoff": t.get("handoff"),
                     "choices": t.get("choices"), "error": t.get("error")} for t in turns]
            fh.write(json.dumps({"id": conv["id"], "topic": conv["topic"], "turns": rows}, ensure_ascii=False) + "\n")
    picked = list(range(len(conversations)))
    if args.sample and args.sample < len(picked):
        picked = sorted(random.Random(args.seed).sample(picked, args.sample))
    text = "\n".join(transcript(conversations[i], replays[i], not args.no_hints) for i in picked)
    (args.out / "transcripts.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
