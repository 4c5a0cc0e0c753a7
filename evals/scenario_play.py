"""Play one scenario of a scenario file against kefu and judge it.

The scenario's `{order:KEY}` placeholders pick the user's newest order that fits KEY (a status, a
category, or both joined by `+`) in the shop as it is when the scenario starts; scripted turns are sent
as written, a goal is played by the simulator (evals/simulator.py) with the run's seed. Policy changes
are published between turns and undone when the scenario ends.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

from evals import phrasing
from evals.client import ChatClient, TurnResult
from evals.conversation import Simulator, run_conversation
from evals.live_policy import LivePolicyChange, publish_edit
from evals.scenario_verdict import ExpectedWrite, PlayedTurn, judge_scenario
from evals.scenarios import PLACEHOLDER, Scenario, ScenarioFileError, Step
from evals.store_probe import StoreProbe
from evals.tasks import ExpectedWrite as TaskWrite
from evals.tasks import Task, product_of
from evals.verdict import WriteRecord

_GOAL_LEAD = re.compile(
    r"^(?:你|您)(?:想要知道|想知道|想问问|想问|想要|想|要|需要|打算)"
    r"|^you (?:want to know|want to|need to|would like to)\s*",
    re.IGNORECASE,
)


class NoOrder(Exception):
    """The user has no order that fits a placeholder (the scenario fails with this reason)."""


@dataclass
class ScenarioRun:
    """One play of one scenario: what was said, what the store shows, and the verdict."""

    scenario: Scenario
    run: int
    seed: int
    session: str
    orders: dict[str, str] = field(default_factory=dict)
    """placeholder key -> the order id it picked"""
    turns: list[PlayedTurn] = field(default_factory=list)
    results: list[TurnResult] = field(default_factory=list)
    writes: list[WriteRecord] = field(default_factory=list)
    outcome: str = "scripted"
    """scripted, or the simulator's outcome: resolved | handed_off | gave_up | max_turns"""
    failures: list[str] = field(default_factory=list)
    wall_ms: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.scenario.id,
            "kind": "goal" if self.scenario.is_goal else "scripted",
            "run": self.run,
            "seed": self.seed,
            "session": self.session,
            "user": self.scenario.user,
            "orders": self.orders,
            "outcome": self.outcome,
            "passed": self.passed,
            "failures": self.failures,
            "writes": [{"action": w.action, "order_id": w.order_id, "status_after": w.status_after}
                       for w in self.writes],
            "turns": [{"message": t.message, "reply": t.reply, "intent": t.intent, "handoff": t.handoff,
                       "error": t.error} for t in self.turns],
            "wall_ms": round(self.wall_ms, 1),
        }


def newest_first(orders: list[dict[str, Any]], user: str) -> list[dict[str, Any]]:
    """The user's orders, newest first (as kefu lists them to the customer)."""
    mine = [o for o in orders if str(o.get("user_id")) == user]
    return sorted(mine, key=lambda o: (str(o.get("created_at") or ""), str(o["order_id"])), reverse=True)


def fits(order: dict[str, Any], key: str) -> bool:
    """Whether an order fits a placeholder key: every `+` part is its status or one of its items' category."""
    categories = {str(i.get("category")) for i in order.get("items") or [] if isinstance(i, dict)}
    return all(part == order.get("status") or part in categories for part in key.split("+"))


def resolve_orders(keys: list[str], user: str, orders: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """placeholder key -> the user's newest order that fits it; NoOrder when one has none."""
    mine = newest_first(orders, user)
    out = {}
    for key in keys:
        order = next((o for o in mine if fits(o, key)), None)
        if order is None:
            raise NoOrder(f"no order: user {user} has no order that fits {{order:{key}}} when the scenario starts")
        out[key] = order
    return out


def fill(text: str, ids: dict[str, str]) -> str:
    """The text with each `{order:KEY}` replaced by the order id it picked."""
    return PLACEHOLDER.sub(lambda m: ids[m.group(1)], text)


def opening_from_goal(goal: str) -> str:
    """A goal written to the customer ("你想知道生鲜能不能退") as the customer's own words ("生鲜能不能退？")."""
    text = goal.strip()
    asks = bool(re.match(r"^(?:你|您)想(?:要)?(?:知道|问)|^you want to know", text, re.IGNORECASE))
    text = _GOAL_LEAD.sub("", text, count=1).strip() or goal.strip()
    if asks and not re.search(r"[?？。.!！]$", text):
        text += "？" if re.search(r"[\u4e00-\u9fff]", text) else "?"
    return text


def play(
    scenario: Scenario, client: ChatClient, probe: StoreProbe, settings: Any, run: int, seed: int,
    simulator: Simulator | None = None,
) -> ScenarioRun:
    """Play the scenario once (a goal scenario needs `simulator`) and judge it from the store."""
    record = ScenarioRun(scenario, run, seed, f"scenario-{int(time.time())}-{seed}-{scenario.id}")
    try:
        picked = resolve_orders(scenario.placeholder_keys(), scenario.user, probe.orders())
    except NoOrder as exc:
        record.failures = [str(exc)]
        return record
    record.orders = {key: str(o["order_id"]) for key, o in picked.items()}
    mark, start = probe.mark(), time.perf_counter()
    changes: list[LivePolicyChange] = []
    try:
        if scenario.is_goal:
            if simulator is None:
                raise ValueError("a goal scenario needs a simulator")
            _play_goal(record, client, simulator, picked)
        else:
            _play_steps(record, client, settings, changes)
    finally:
        for change in reversed(changes):
            change.restore()
    record.wall_ms = (time.perf_counter() - start) * 1000.0
    record.writes = probe.writes_since(mark, scenario.user)
    expected = expected_writes(scenario, record.orders)
    ids = sorted({str(w.order_id) for w in record.writes if w.order_id} | {e.order_id for e in expected if e.order_id})
    expect = replace(
        scenario.expect,
        facts=[[fill(alt, record.orders) for alt in alts] for alts in scenario.expect.facts],
        not_facts=[fill(fact, record.orders) for fact in scenario.expect.not_facts],
    )
    record.failures = judge_scenario(expect, record.turns, record.writes, probe.statuses(ids), expected)
    return record


def expected_writes(scenario: Scenario, ids: dict[str, str]) -> list[ExpectedWrite]:
    """The expected writes with their orders: the write's own placeholder, else the scenario's only order."""
    only = next(iter(ids.values())) if len(ids) == 1 else None
    out = []
    for spec in scenario.expect.writes:
        order = ids[PLACEHOLDER.fullmatch(spec.order).group(1)] if spec.order else only  # type: ignore[union-attr]
        out.append(ExpectedWrite(spec, order))
    return out


def _play_steps(record: ScenarioRun, client: ChatClient, settings: Any, changes: list[LivePolicyChange]) -> None:
    scenario = record.scenario
    for i, step in enumerate(scenario.steps):
        if step.policy_change is not None:
            edit = step.policy_change
            try:
                changes.append(publish_edit(settings, edit.policies, edit.old, edit.new))
            except ValueError as exc:
                raise ScenarioFileError(f"scenario {scenario.id!r}: turns[{i}].{exc}") from exc
            continue
        message = fill(step.say or "", record.orders)
        turn = client.send(record.session, scenario.user, message)
        record.results.append(turn)
        record.turns.append(_played(turn, step, record.orders))


def _play_goal(
    record: ScenarioRun, client: ChatClient, simulator: Simulator, picked: dict[str, dict[str, Any]]
) -> None:
    task = goal_task(record.scenario, record.orders, picked)
    conversation = run_conversation(client, simulator, task, None, record.session)
    record.results = conversation.turns
    record.turns = [_played(turn, Step(), record.orders) for turn in conversation.turns]
    record.outcome = conversation.outcome


def goal_task(scenario: Scenario, ids: dict[str, str], picked: dict[str, dict[str, Any]]) -> Task:
    """The simulator's task for a goal scenario: its goal, persona, order, details and expectations."""
    goal = scenario.goal or ""
    key = (PLACEHOLDER.fullmatch(scenario.order) if scenario.order else PLACEHOLDER.search(goal))
    order = picked.get(key.group(1)) if key else None
    known = goal in phrasing.load_data()["goals"] or goal in phrasing.load_data()["policy_questions"]
    slots = {"product": product_of(order) if order else "东西", **scenario.details}
    expected = expected_writes(scenario, ids)
    order_id = str(order["order_id"]) if order else None
    return Task(
        task_id=scenario.id,
        kind="scenario",
        goal=goal,
        user_id=scenario.user,
        persona=scenario.persona,
        order_id=order_id,
        slots=slots,
        expect_writes=[TaskWrite(e.spec.kind, e.order_id or order_id or "", e.spec.status_after) for e in expected],
        expect_handoff=bool(scenario.expect.handoff),
        facts=[[fill(alt, ids) for alt in alts] for alts in scenario.expect.facts],
        forbidden_facts=list(scenario.expect.not_facts),
        language=None if known else ("zh" if re.search(r"[\u4e00-\u9fff]", goal) else "en"),
        opening=None if known else opening_from_goal(fill(goal, ids)),
    )


def _played(turn: TurnResult, step: Step, ids: dict[str, str]) -> PlayedTurn:
    handoff = turn.data.get("handoff") if isinstance(turn.data.get("handoff"), dict) else {}
    return PlayedTurn(
        message=turn.message,
        reply=turn.reply,
        intent=turn.intent,
        handoff=turn.handoff_active,
        handoff_reason=str(handoff.get("reason")) if handoff.get("reason") else None,
        error=turn.error,
        expect_intent=step.intent,
        facts=[[fill(alt, ids) for alt in alts] for alts in step.facts],
        not_facts=[fill(f, ids) for f in step.not_facts],
    )
