"""`shop`: a second shop's own policies answered through the chat path, as a new shop would try kefu.

A fresh data dir gets `kefu kb import` of the shop's policy folder (the demo policies are retired by
that import), then every question is asked through `POST /api/chat` as the demo user, each in its own
session. A reply passes when it contains one of `expect_any` (and all of `expect_all` when given) and
none of `expect_not`. Also counted: rule questions answered with a bare "which order?" (the reply asks
for an order and cites no policy), questions that opened a ticket, and `kefu kb search` top-1/top-3.

    kefu eval run --suite shop --out out/shop                                   # evals/data/shop2 dev half
    kefu eval run --suite shop --data evals/data/shop2/questions_test.jsonl --out out/shop-test

The policies are the `policies/` folder next to the questions file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from evals.client import TurnResult
from evals.env import open_env
from evals.server import child_env
from evals.suites.base import SuiteError, SuiteOptions, SuiteResult, log
from evals.suites.components import read_jsonl

DATA = Path(__file__).resolve().parent.parent / "data" / "shop2"
QUESTIONS = DATA / "questions_dev.jsonl"
USER = "demo"
_WHICH_ORDER = ("哪一笔订单", "which order")


def fact_verdict(reply: str, row: dict[str, Any]) -> list[str]:
    """What the reply misses or wrongly states (empty: it passes). Matching ignores letter case."""
    low = reply.lower()
    failures = []
    expect_any = [str(s) for s in row.get("expect_any") or []]
    if expect_any and not any(s.lower() in low for s in expect_any):
        failures.append("missing one of " + " | ".join(expect_any))
    failures += [f"missing {s}" for s in row.get("expect_all") or [] if str(s).lower() not in low]
    failures += [f"states {s}" for s in row.get("expect_not") or [] if str(s).lower() in low]
    return failures


def bare_which_order(turn: TurnResult) -> bool:
    """The reply asks which order and answers nothing from the policies."""
    asks = turn.state.get("awaiting_slot") == "order_id" or any(w in turn.reply.lower() for w in _WHICH_ORDER)
    return asks and not turn.data.get("citations")


def opened_ticket(turn: TurnResult) -> bool:
    handoff = turn.data.get("handoff")
    return isinstance(handoff, dict) and bool(handoff.get("active") or handoff.get("ticket_id"))


def question_rows(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The questions file's rows; a clear error naming the row that has no question or malformed facts."""
    rows = read_jsonl(path, limit)
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not str(row.get("question") or "").strip():
            raise SuiteError(f"{path}: row {number} has no \"question\"")
        for key in ("expect_any", "expect_all", "expect_not", "policy_ids"):
            if not isinstance(row.get(key) or [], list):
                raise SuiteError(f"{path}: row {number}: \"{key}\" must be a list of strings")
        if not (row.get("expect_any") or row.get("expect_all")):
            raise SuiteError(f"{path}: row {number} has neither \"expect_any\" nor \"expect_all\"")
    if not rows:
        raise SuiteError(f"{path} holds no questions")
    return rows


def import_policies(settings: Any, folder: Path) -> dict[str, Any]:
    """`kefu kb import FOLDER` in a child process on the shop's data dir; its JSON summary."""
    cmd = [sys.executable, "-m", "app", "kb", "import", str(folder)]
    done = subprocess.run(cmd, env=child_env(settings), capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise SuiteError(f"kefu kb import failed: {done.stderr.strip()[-300:]}")
    try:
        return dict(json.loads(done.stdout))
    except json.JSONDecodeError as exc:
        raise SuiteError(f"kefu kb import printed no JSON summary ({exc.msg})") from exc


def search_ranks(settings: Any, rows: list[dict[str, Any]]) -> list[int | None]:
    """Rank (1-3) of the first expected policy in `kefu kb search -k 3`, None when absent."""
    from knowledge import open_kb

    kb = open_kb(settings)
    ranks: list[int | None] = []
    for row in rows:
        ids = [h["policy_id"] for h in kb.search(str(row["question"]), k=3)]
        wanted = set(row.get("policy_ids") or [])
        ranks.append(next((i + 1 for i, pid in enumerate(ids) if pid in wanted), None))
    return ranks


def run_shop(opts: SuiteOptions) -> SuiteResult:
    """Import the shop's policies into a fresh data dir, ask every question through the chat API."""
    if opts.base_url or opts.in_place:
        raise SuiteError("the shop suite imports policies into a fresh data dir: drop --base-url/--in-place")
    path = opts.data_path or QUESTIONS
    folder = path.parent / "policies"
    if not folder.is_dir():
        raise SuiteError(f"no policies/ folder next to {path}")
    rows = question_rows(path, opts.conversations)
    env = open_env(opts.settings, None, opts.source_data_dir, False)
    try:
        imported = import_policies(env.settings, folder)
        log.info("shop: imported %s policies, retired %s demo ones", imported.get("imported"),
                 imported.get("retired_demo"))
        ranks = search_ranks(env.settings, rows)
        client = env.client()
        records = []
        for i, (row, rank) in enumerate(zip(rows, ranks, strict=True)):
            turn = client.send(f"shop-{opts.seed}-{row.get('id', i)}", USER, str(row["question"]))
            failures = [f"error {turn.error}"] if turn.error else fact_verdict(turn.reply, row)
            records.append({"id": row.get("id"), "class": row.get("class", "?"), "question": row["question"],
                            "passed": not failures, "failures": failures, "reply": turn.reply,
                            "intent": turn.intent, "citations": turn.data.get("citations"),
                            "bare_which_order": bare_which_order(turn), "ticket": opened_ticket(turn),
                            "search_rank": rank, "latency_ms": round(turn.latency_ms, 1)})
    finally:
        env.close()
    return SuiteResult("shop", shop_summary(records, imported), {}, records)


def shop_summary(records: list[dict[str, Any]], imported: dict[str, Any]) -> dict[str, Any]:
    """Fact-in-reply overall and by class, bare which-order and ticket counts, search top-1/top-3."""
    n = max(1, len(records))
    by_class: dict[str, list[bool]] = defaultdict(list)
    for r in records:
        by_class[r["class"]].append(r["passed"])
    return {
        "questions": len(records),
        "fact_in_reply": round(sum(r["passed"] for r in records) / n, 4),
        "fact_in_reply_by_class": {c: round(sum(v) / len(v), 4) for c, v in sorted(by_class.items())},
        "bare_which_order": sum(r["bare_which_order"] for r in records),
        "tickets_opened": sum(r["ticket"] for r in records),
        "search_top1": round(sum(r["search_rank"] == 1 for r in records) / n, 4),
        "search_top3": round(sum(r["search_rank"] is not None for r in records) / n, 4),
        "imported": int(imported.get("imported", 0)) + int(imported.get("updated", 0)),
        "retired_demo": int(imported.get("retired_demo", 0)),
        "rejected": len(imported.get("rejected") or []),
    }
