"""The feedback loop end to end on the demo shop: conversations rated below 8 and those handed off are
exported (agent's final resolution kept, kefu's notices and PII left out), then `finetune data --refresh`
replaces 10% of last week's training set with them, feedback first; ops/weekly_feedback.sh runs both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.console import Console
from app.pilot import PilotStore
from finetune.dialogues import load_dialogues

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13812345678"


def _run(shop, *argv: str, tool: str = "app") -> subprocess.CompletedProcess:
    env = {**os.environ, "KEFU_DATA_DIR": str(shop.data_dir), "PYTHONPATH": str(ROOT), "KEFU_PYTHON": sys.executable}
    command = [str(ROOT / "ops" / "weekly_feedback.sh"), *argv] if tool == "weekly" else [sys.executable, "-m", tool,
                                                                                            *argv]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.fixture
def week(service, client, cases, shop) -> dict[str, str]:
    """A week of conversations: what each one is, by session id."""
    rate = {"low": 3, "happy": 10, "handled": 9}
    service.run_turn("low", "demo", f"订单{cases['shipped']}到哪了")
    service.run_turn("low", "demo", f"还是没到，我的手机号{PHONE}，快点处理")
    service.run_turn("happy", "demo", f"订单{cases['shipped']}到哪了")
    service.run_turn("handled", "demo", "转人工")
    console = Console(shop, "agent")
    ticket = console.queue.active_for("handled")
    console.take(ticket["ticket_id"])
    console.message(ticket["ticket_id"], "已经为您登记补发，明天发出，请留意短信。")
    console.close(ticket["ticket_id"])
    PilotStore(shop).set("fresh", "human")
    service.run_turn("pilot", "demo", f"订单{cases['delivered_fresh']}到哪了")  # handed off, never rated
    for session, rating in rate.items():
        assert client.post(f"/api/chat/{session}/rating", json={"user": "demo", "rating": rating}).status_code == 200
    return {"low": "low_rating", "handled": "handoff", "pilot": "handoff"}


def test_export_then_refresh_on_the_demo_shop(week, shop, tmp_path):
    export_dir, train_dir = tmp_path / "feedback", tmp_path / "train"
    done = _run(shop, "feedback", "export", "--out", str(export_dir))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["exported"] == len(week)

    exported = {d.id: d for d in load_dialogues(export_dir / "feedback.jsonl").dialogues}
    assert set(exported) == set(week)  # the 10-rated conversation stays out
    for session, reason in week.items():
        assert reason in exported[session].meta["feedback_reasons"]
    low = exported["low"]
    assert low.rating == 3 and PHONE not in json.dumps(low.to_json(), ensure_ascii=False)
    assert any("[PHONE]" in t.text for t in low.turns)
    handled = exported["handled"]
    assert handled.meta["resolution"]["text"] == "已经为您登记补发，明天发出，请留意短信。" and handled.resolved is True
    human = [t.text for t in handled.turns if t.by == "human"]
    assert human == ["已经为您登记补发，明天发出，请留意短信。"]  # "an agent joined" / "closed" notices left out
    assert exported["pilot"].category == "fresh" and exported["pilot"].meta["handoff_reasons"] == ["pilot"]

    built = _run(shop, "data", "--synthetic", "60", "--augment-share", "0", "--out", str(train_dir), tool="finetune")
    assert built.returncode == 0, built.stderr
    before = {name: (train_dir / f"{name}.jsonl").read_text(encoding="utf-8") for name in ("train", "val", "test")}
    size = len(before["train"].splitlines())

    refreshed = _run(shop, "data", "--inputs", str(export_dir / "feedback.jsonl"), "--refresh", "--augment-share", "0",
                     "--out", str(train_dir), tool="finetune")
    assert refreshed.returncode == 0, refreshed.stderr
    report = json.loads(refreshed.stdout)["refresh"]
    assert report["previous"] == size and report["size"] == size and report["wanted"] == round(size * 0.1)
    assert report["replaced"] == report["added_feedback"] == min(len(week), round(size * 0.1))
    train = {d.id for d in load_dialogues(train_dir / "train.jsonl").dialogues}
    assert len(train) == size and len(train & set(week)) == report["replaced"]
    assert {name: (train_dir / f"{name}.jsonl").read_text(encoding="utf-8") for name in ("val", "test")} == {
        name: before[name] for name in ("val", "test")}  # last week's evaluation sets stay comparable


def test_the_weekly_job_runs_both_steps(week, shop, tmp_path):
    train_dir = tmp_path / "train"
    assert _run(shop, "data", "--synthetic", "40", "--out", str(train_dir), tool="finetune").returncode == 0
    done = _run(shop, str(train_dir), tool="weekly")
    assert done.returncode == 0, done.stderr
    exported = json.loads(done.stdout.splitlines()[0])
    assert exported["exported"] == len(week) and Path(exported["out"]).is_file()
    assert Path(exported["out"]).parent.parent == shop.data_dir / "feedback"
    assert json.loads((train_dir / "report.json").read_text(encoding="utf-8"))["refresh"]["added_feedback"] > 0


def test_a_quiet_week_refreshes_nothing_and_says_so(shop, store, tmp_path):
    train_dir = tmp_path / "train"
    assert _run(shop, "data", "--synthetic", "30", "--out", str(train_dir), tool="finetune").returncode == 0
    before = (train_dir / "train.jsonl").read_text(encoding="utf-8")
    exported = _run(shop, "feedback", "export", "--out", str(tmp_path / "fb"), "--since", "2026-01-01")
    assert json.loads(exported.stdout)["exported"] == 0
    done = _run(shop, "data", "--inputs", str(tmp_path / "fb" / "feedback.jsonl"), "--refresh", "--out",
                str(train_dir), tool="finetune")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["refresh"]["replaced"] == 0
    assert sorted((train_dir / "train.jsonl").read_text(encoding="utf-8").splitlines()) == sorted(before.splitlines())


def test_bad_input_is_one_line_and_exit_2(shop, tmp_path):
    afile = tmp_path / "a-file"
    afile.write_text("x")
    for argv, tool, says in [(["feedback", "export", "--out", str(afile)], "app", "must be a folder"),
                             (["feedback", "export", "--out", str(tmp_path), "--since", "last week"], "app",
                              "--since must be a day"),
                             (["data", "--inputs", str(afile), "--refresh", "--out", str(tmp_path / "none")],
                              "finetune", "nothing to refresh")]:
        done = _run(shop, *argv, tool=tool)
        assert done.returncode == 2 and says in done.stderr, (argv, done.stderr)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
