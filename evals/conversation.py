"""One simulated conversation: the customer and kefu take turns until the customer is done,
then the verdict is read from the store (writes logged since the start) and the replies."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from evals.client import ChatClient, TurnResult
from evals.tasks import Task
from evals.verdict import Verdict, WriteRecord, judge


class Simulator(Protocol):
    """What a user simulator offers (rule-based or LLM-driven)."""

    def reset(self, task: Task) -> str: ...

    def step(self, turn: TurnResult) -> str | None: ...

    @property
    def outcome(self) -> str: ...


class Probe(Protocol):
    """Store reads a verdict needs (evals.store_probe.StoreProbe)."""

    def mark(self) -> int: ...

    def writes_since(self, mark: int, user_id: str | None = None) -> list[WriteRecord]: ...

    def statuses(self, order_ids: list[str]) -> dict[str, str | None]: ...


@dataclass
class ConversationRecord:
    """Everything one conversation produced, for metrics and the report."""

    task: Task
    session: str
    turns: list[TurnResult] = field(default_factory=list)
    outcome: str = "running"
    verdict: Verdict | None = None
    writes: list[WriteRecord] = field(default_factory=list)
    sim_emotions: list[tuple[str, float]] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    """The customer's dialogue move per message (confirm, give_order, ...), when the simulator says."""
    wall_ms: float = 0.0

    @property
    def handoff(self) -> bool:
        return any(t.handoff_active for t in self.turns)

    @property
    def errors(self) -> int:
        return sum(1 for t in self.turns if not t.ok)

    @property
    def resolved_first_contact(self) -> bool:
        """Solved by kefu alone: the verdict passed and no human was involved (unless asked for)."""
        passed = bool(self.verdict and self.verdict.passed)
        return passed and (self.task.expect_handoff or not self.handoff)

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task.to_json(),
            "session": self.session,
            "outcome": self.outcome,
            "verdict": self.verdict.to_json() if self.verdict else None,
            "writes": [w.__dict__ | {"kind": w.kind} for w in self.writes],
            "sim_emotions": self.sim_emotions,
            "moves": self.moves,
            "wall_ms": round(self.wall_ms, 1),
            "turns": [t.to_json() for t in self.turns],
        }


def run_conversation(
    client: ChatClient,
    simulator: Simulator,
    task: Task,
    probe: Probe | None,
    session: str,
    max_turns: int = 10,
) -> ConversationRecord:
    """Play `task` against kefu through `client`; judge it from the store when a probe is given."""
    record = ConversationRecord(task=task, session=session)
    mark = probe.mark() if probe is not None else 0
    start = time.perf_counter()
    message: str | None = simulator.reset(task)
    while message is not None and len(record.turns) < max_turns:
        turn = client.send(session, task.user_id, message)
        record.turns.append(turn)
        message = simulator.step(turn)
    record.wall_ms = (time.perf_counter() - start) * 1000.0
    record.outcome = simulator.outcome if simulator.outcome != "running" else "max_turns"
    record.sim_emotions = list(getattr(getattr(simulator, "state", None), "trajectory", []))
    record.moves = list(getattr(getattr(simulator, "state", None), "moves", []))
    if probe is not None:
        record.writes = probe.writes_since(mark, task.user_id)
        ids = sorted(
            {w.order_id for w in record.writes if w.order_id} | {e.order_id for e in task.expect_writes}
        )
        statuses = probe.statuses(ids)
        record.verdict = judge(task, record.writes, statuses, [t.reply for t in record.turns], record.handoff)
    return record
