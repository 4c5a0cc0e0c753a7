"""`kefu eval run --suite scenarios` for real: each verdict and reason of a mixed file, and pass^k with --repeat."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.settings import get_settings

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
MIXED = HERE / "data" / "mixed_scenarios.yaml"
EXAMPLE = HERE.parents[1] / "evals" / "examples" / "shop_scenarios.yaml"


@pytest.fixture()
def shop_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path / "shop"))
    get_settings.cache_clear()
    yield tmp_path / "shop"
    get_settings.cache_clear()


def _run(out: Path, *argv: str) -> tuple[int, dict]:
    code = main(["eval", "run", "--suite", "scenarios", "--out", str(out), "--quiet", *argv])
    return code, json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_each_verdict_and_reason_of_a_mixed_file(shop_dir: Path, tmp_path: Path) -> None:
    code, summary = _run(tmp_path / "out", "--tasks", str(MIXED))
    assert code == 0
    assert summary["scenarios"] == 10 and summary["passed"] == 2 and summary["pass_rate"] == 0.2
    records = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").read_text().splitlines()]
    unpaid = next(r for r in records if r["id"] == "pass-cancel")["orders"]["pending_payment"]
    failures = {r["id"]: r["failures"] for r in summary["results"]}
    verdicts = {r["id"]: r["passed"] for r in summary["results"]}
    assert verdicts == {name: name.startswith("pass-") for name in failures}
    assert failures["fail-missing-write"] == [
        f"missing write: cancel_order on order {unpaid} (the store logged no such write)"]
    assert failures["fail-wrong-status"] == [
        f"wrong status: order {unpaid} is cancelled after the conversation, expected refunded"]
    assert failures["fail-unexpected-write"] == [f"unexpected write: action_cancel_order on order {unpaid}"]
    assert failures["fail-facts"] == [
        "missing fact: no reply contains '七天无理由' or '质量问题'", "forbidden fact: reply 1 contains '99'"]
    assert failures["fail-handoff-expected"] == ["handoff: expected a handoff to a human, kefu kept the conversation"]
    assert failures["fail-handoff-unexpected"][0].startswith("handoff: kefu handed off to a human at turn 1")
    assert failures["fail-turn-expectations"] == [
        "turn 1: kefu read intent promotion_inquiry, expected cancel_order",
        "turn 1: missing fact: the reply does not contain '129'",
        "turn 1: forbidden fact: the reply contains '99'",
    ]
    assert failures["fail-no-such-order"] == [
        "no order: user demo has no order that fits {order:cancelled+fresh} when the scenario starts"]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for reasons in failures.values():
        for reason in reasons:
            assert json.dumps(reason, ensure_ascii=False)[1:-1].replace("<", "\\u003c") in html
    assert not (shop_dir / "shop.db").exists()  # each scenario ran on a copy, never on the configured shop


def test_repeat_3_reports_pass_hat_3_not_above_pass_1(shop_dir: Path, tmp_path: Path) -> None:
    code, summary = _run(tmp_path / "out", "--tasks", str(EXAMPLE), "--repeat", "3", "--seed", "11")
    assert code == 0
    assert summary["repeat"] == 3 and summary["conversations"] == 3 * summary["scenarios"]
    assert 0.0 <= summary["pass_hat_k"] <= summary["pass_rate"] <= 1.0
    assert summary["pass_hat"]["3"] <= summary["pass_hat"]["2"] <= summary["pass_hat"]["1"] == summary["pass_rate"]
    assert all(r["runs"] == 3 for r in summary["results"])
    assert summary["pass_hat_k"] == pytest.approx(sum(r["runs_passed"] == 3 for r in summary["results"])
                                                  / summary["scenarios"], abs=1e-4)
    records = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").read_text().splitlines()]
    goal_plays = [r for r in records if r["kind"] == "goal"]
    assert len({r["seed"] for r in goal_plays}) == len(goal_plays)  # every play its own simulator seed
    openings = {r["id"]: set() for r in goal_plays}
    for r in goal_plays:
        openings[r["id"]].add(r["turns"][0]["message"])
    assert any(len(messages) > 1 for messages in openings.values())  # the seeds change what the customer says


@pytest.mark.parametrize(
    "scenario,message",
    [
        ("{id: s, user: nobody, turns: [hi]}", "scenario 's': user: the shop has no customer 'nobody'"),
        ("{id: s, user: demo, turns: ['{order:paid+jewellery}']}",
         "scenario 's': turns[0]: {order:paid+jewellery}: 'jewellery' is neither an order status nor a category"),
        ("{id: s, user: demo, turns: [{policy_change: {policy: no-such, old: '99', new: '129'}}, hi]}",
         "scenario 's': turns[0].policy_change.policy: no policy 'no-such'"),
        ("{id: s, user: demo, turns: [{policy_change: {policy: shipping-fee, old: '77', new: '129'}}, hi]}",
         "scenario 's': turns[0].policy_change.old: policy 'shipping-fee' does not state '77'"),
    ],
)
def test_names_the_shop_lacks_are_refused_before_anything_plays(
    scenario: str, message: str, shop_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = tmp_path / "s.yaml"
    tasks.write_text(f"scenarios:\n  - {scenario}\n", encoding="utf-8")
    code = main(["eval", "run", "--suite", "scenarios", "--tasks", str(tasks), "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and "\n" not in err
    assert not (tmp_path / "o").exists()
