"""Scenario files: the example file loads and covers every action; a mistake is one line naming scenario and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from app.cli import main
from evals.scenario_file import load_scenarios
from evals.scenario_play import NoOrder, fill, fits, opening_from_goal, resolve_orders
from evals.scenarios import ScenarioFileError
from evals.suites.scenarios import pass_hat
from evals.verdict import WRITE_KINDS

EXAMPLE = Path(__file__).resolve().parents[2] / "evals" / "examples" / "shop_scenarios.yaml"


def _file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "scenarios.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_the_example_file_covers_every_write_action_a_policy_change_a_handoff_and_goals() -> None:
    scenarios = load_scenarios(EXAMPLE)
    assert len(scenarios) >= 12 and len({s.id for s in scenarios}) == len(scenarios)
    kinds = {w.kind for s in scenarios for w in s.expect.writes}
    assert kinds == set(WRITE_KINDS)
    assert any(step.policy_change for s in scenarios for step in s.steps)
    assert any(s.expect.handoff for s in scenarios)
    goals = [s for s in scenarios if s.is_goal]
    assert goals and all(s.persona for s in goals)
    cancel = next(s for s in scenarios if s.id == "cancel-unpaid")
    assert cancel.steps[0].intent == "cancel_order" and cancel.placeholder_keys() == ["pending_payment"]
    assert cancel.expect.writes[0].status_after == "cancelled"


BAD = [
    ("scenarios: [", "not valid YAML at line"),
    ("other: 1", "non-empty list under `scenarios:`"),
    ("scenarios:\n  - {user: demo, turns: [hi]}", "scenario #1 (no id): id: is required"),
    ("scenarios:\n  - {id: a, turns: [hi]}", "scenario 'a': user: is required"),
    ("scenarios:\n  - {id: a, user: demo}", "scenario 'a': turns: give either scripted `turns` or a `goal`"),
    ("scenarios:\n  - {id: a, user: demo, turns: [hi], goal: x}", "scenario 'a': turns: give either"),
    ("scenarios:\n  - {id: a, user: demo, turns: []}", "scenario 'a': turns: must be a non-empty list"),
    ("scenarios:\n  - {id: a, user: demo, turns: ['取消{order_id}']}", "scenario 'a': turns[0]: unknown placeholder {order_id}"),
    ("scenarios:\n  - {id: a, user: demo, turns: ['{order:paid+shipped}']}", "scenario 'a': turns[0]: {order:paid+shipped}: name one status"),
    ("scenarios:\n  - {id: a, user: demo, turns: [{say: hi, intent: cancel}]}", "scenario 'a': turns[0].intent: 'cancel' is not an intent"),
    ("scenarios:\n  - {id: a, user: demo, turns: [{sya: hi}]}", "scenario 'a': turns[0].sya: unknown field"),
    ("scenarios:\n  - {id: a, user: demo, turns: [{policy_change: {policy: x, old: 1, new: 1}}, hi]}", "turns[0].policy_change.new: must differ"),
    ("scenarios:\n  - {id: a, user: demo, turns: [hi], expects: {}}", "scenario 'a': expects: unknown field"),
    ("scenarios:\n  - {id: a, user: demo, turns: [hi], expect: {writes: [{action: teleport}]}}", "scenario 'a': expect.writes[0].action: 'teleport' is not a write action"),
    ("scenarios:\n  - {id: a, user: demo, turns: [hi], expect: {writes: [{action: cancel_order, status_after: canceled}]}}", "expect.writes[0].status_after: 'canceled' is not an order status"),
    ("scenarios:\n  - {id: a, user: demo, turns: [hi], expect: {handoff: maybe}}", "scenario 'a': expect.handoff: must be true or false"),
    ("scenarios:\n  - {id: a, user: demo, turns: [hi], expect: {facts: [[]]}}", "scenario 'a': expect.facts[0]: an empty list"),
    ("scenarios:\n  - {id: a, user: demo, goal: x, persona: grumpy}", "scenario 'a': persona: 'grumpy' is not a simulator persona"),
    ("scenarios:\n  - {id: a, user: demo, goal: x, order: paid}", "scenario 'a': order: 'paid' must be one order placeholder"),
    ("scenarios:\n  - {id: a, user: demo, turns: [hi], persona: angry}", "scenario 'a': persona: only goal scenarios take it"),
    ("scenarios:\n  - {id: a, user: demo, turns: [hi]}\n  - {id: a, user: demo, turns: [ho]}", "scenario 'a': id: used by an earlier scenario"),
]


@pytest.mark.parametrize("body,message", BAD)
def test_a_malformed_file_names_the_scenario_and_field(body: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ScenarioFileError) as raised:
        load_scenarios(_file(tmp_path, body))
    text = str(raised.value)
    assert message in text and "\n" not in text


def test_a_malformed_file_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, """\
        scenarios:
          - id: cancel-unpaid
            user: demo
            turns: ["帮我取消订单{order:pending_payment}", "确认"]
            expect:
              writes: [{action: cancel_order, status_after: canceled}]
        """)
    code = main(["eval", "run", "--suite", "scenarios", "--tasks", str(path), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "Traceback" not in err
    assert "scenario 'cancel-unpaid': expect.writes[0].status_after: 'canceled'" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--suite", "scenarios"], "--suite scenarios needs --tasks"),
        (["--suite", "scenarios", "--tasks", "/nonexistent.yaml"], "--tasks: no file"),
        (["--suite", "scenarios", "--tasks", str(EXAMPLE), "--repeat", "0"], "--repeat"),
        (["--suite", "replay"], "--suite replay needs --data"),
        (["--suite", "replay", "--data", str(EXAMPLE), "--in-place"], "never runs --in-place"),
    ],
)
def test_missing_inputs_are_one_line(argv: list[str], message: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "run", "--out", str(tmp_path / "o"), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


ORDERS = [
    {"order_id": "1", "user_id": "u", "status": "delivered", "created_at": "2026-01-03", "items": [{"category": "fresh"}]},
    {"order_id": "2", "user_id": "u", "status": "delivered", "created_at": "2026-01-01", "items": [{"category": "apparel"}]},
    {"order_id": "3", "user_id": "u", "status": "paid", "created_at": "2026-01-05", "items": [{"category": "apparel"}]},
    {"order_id": "4", "user_id": "v", "status": "delivered", "created_at": "2026-01-09", "items": [{"category": "apparel"}]},
]


def test_placeholders_pick_the_users_newest_fitting_order() -> None:
    picked = resolve_orders(["delivered", "apparel", "delivered+apparel", "fresh"], "u", ORDERS)
    assert {k: o["order_id"] for k, o in picked.items()} == {
        "delivered": "1", "apparel": "3", "delivered+apparel": "2", "fresh": "1"}
    assert fits(ORDERS[1], "apparel+delivered") and not fits(ORDERS[1], "paid")
    assert fill("取消{order:apparel}和{order:fresh}", {"apparel": "3", "fresh": "1"}) == "取消3和1"
    with pytest.raises(NoOrder, match=r"user u has no order that fits \{order:refunded\}"):
        resolve_orders(["refunded"], "u", ORDERS)


@pytest.mark.parametrize(
    "goal,opening",
    [
        ("你想知道生鲜能不能七天无理由退货", "生鲜能不能七天无理由退货？"),
        ("你想取消订单123456789", "取消订单123456789"),
        ("You want to know how long refunds take", "how long refunds take?"),
        ("满多少包邮", "满多少包邮"),
    ],
)
def test_a_free_text_goal_becomes_the_customers_words(goal: str, opening: str) -> None:
    assert opening_from_goal(goal) == opening


def test_pass_hat_k_is_taus_estimate_and_never_above_pass_1() -> None:
    successes = [3, 1, 0, 2]  # plays passed of 3, per scenario
    assert pass_hat(successes, 3, 1) == pytest.approx((1 + 1 / 3 + 0 + 2 / 3) / 4)
    assert pass_hat(successes, 3, 2) == pytest.approx((1 + 0 + 0 + 1 / 3) / 4)
    assert pass_hat(successes, 3, 3) == pytest.approx(1 / 4)
    assert pass_hat(successes, 3, 3) <= pass_hat(successes, 3, 2) <= pass_hat(successes, 3, 1)
