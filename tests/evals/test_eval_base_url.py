"""The scenarios and replay suites against a real `kefu serve` (--base-url): they share its shop, and a live
policy change reaches the running server and is undone afterwards."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli import main
from app.settings import Settings, get_settings
from evals.store_probe import StoreProbe

pytestmark = pytest.mark.slow

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "evals" / "examples" / "shadow_transcripts.jsonl"
SCENARIOS = """\
    scenarios:
      - id: cancel-unpaid
        user: demo
        turns: ["帮我取消订单{order:pending_payment}", "确认"]
        expect:
          writes: [{action: cancel_order, status_after: cancelled}]
      - id: live-change
        user: demo
        turns:
          - say: "满多少钱包邮？"
            facts: ["99"]
          - policy_change: {policy: shipping-fee, old: "99", new: "129"}
          - say: "那现在满多少包邮？"
            facts: ["129"]
            not_facts: ["99"]
      - id: after-the-change-is-undone
        user: demo
        turns: ["满多少钱包邮？"]
        expect: {facts: ["99"], not_facts: ["129"]}
"""


def test_scenarios_and_replay_against_a_running_server(
    serve_kefu: Callable[[Path], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "shop"
    base = serve_kefu(data_dir)  # also points KEFU_DATA_DIR at the server's data dir
    get_settings.cache_clear()
    tasks = tmp_path / "s.yaml"
    tasks.write_text(textwrap.dedent(SCENARIOS), encoding="utf-8")
    code = main(["eval", "run", "--suite", "scenarios", "--tasks", str(tasks), "--base-url", base,
                 "--out", str(tmp_path / "s"), "--quiet"])
    summary = json.loads((tmp_path / "s" / "summary.json").read_text(encoding="utf-8"))
    assert code == 0 and summary["scenarios"] == 3
    assert {r["id"]: r["failures"] for r in summary["results"]} == {
        "cancel-unpaid": [], "live-change": [], "after-the-change-is-undone": []}
    writes = StoreProbe(Settings(data_dir=data_dir).store_path).writes_since(0, "demo")
    assert [w.action for w in writes] == ["action_cancel_order"]  # the server's own shop took the write

    code = main(["eval", "run", "--suite", "replay", "--data", str(TRANSCRIPTS), "--base-url", base,
                 "--out", str(tmp_path / "r"), "--quiet"])
    replay = json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))
    assert code == 0 and replay["conversations"] == 6 and replay["errors"] == 0
    assert "http " + base in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    get_settings.cache_clear()
    capsys.readouterr()
