"""Metrics over conversations and turns: resolution, handoff, tiers, latency, cost, F1 helpers."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from evals.client import TurnResult
from evals.conversation import ConversationRecord

TYPING_CHARS_PER_S = 3.0  # a customer types ~3 Chinese characters a second on a phone
READING_CHARS_PER_S = 15.0  # and reads ~15 a second
MAX_TYPING_S = 60.0


@dataclass(frozen=True)
class CostModel:
    """Prices that turn measured compute into CNY (flags of `kefu eval run`)."""

    cpu_core_hour_cny: float = 0.35
    gpu_hour_cny: float = 20.0
    per_1k_tokens_cny: float = 0.0

    def turn_cost(self, turn: TurnResult) -> float:
        """LLM turns pay GPU time (and tokens when reported); others pay one CPU core for the latency."""
        seconds = turn.latency_ms / 1000.0
        if turn.tier == "llm":
            usage = turn.data.get("usage") if isinstance(turn.data.get("usage"), dict) else {}
            tokens = float(usage.get("total_tokens") or 0)
            return seconds * self.gpu_hour_cny / 3600.0 + tokens / 1000.0 * self.per_1k_tokens_cny
        return seconds * self.cpu_core_hour_cny / 3600.0


def percentile(values: Iterable[float], p: float) -> float:
    """Linear-interpolated percentile (0 for no values)."""
    data = sorted(values)
    if not data:
        return 0.0
    rank = (len(data) - 1) * p / 100.0
    low = int(rank)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (rank - low)


def latency_summary(turns: list[TurnResult]) -> dict[str, float]:
    """p50/p95/p99/mean of the turns' latencies (ms)."""
    ms = [t.latency_ms for t in turns]
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else 0.0,
    }


def per_tier_latency(turns: list[TurnResult]) -> dict[str, dict[str, float]]:
    """Latency summary per reply tier (front, composer, llm, ...)."""
    groups: dict[str, list[TurnResult]] = defaultdict(list)
    for t in turns:
        groups[t.tier or ("error" if not t.ok else "unknown")].append(t)
    return {tier: {"turns": len(ts), **latency_summary(ts)} for tier, ts in sorted(groups.items())}


def confirm_success(records: list[ConversationRecord]) -> float:
    """Share of the customer's confirmations of a proposed write that kefu carried out (done or refused)."""
    tried = done = 0
    for r in records:
        for move, turn in zip(r.moves, r.turns, strict=False):
            if move == "confirm":
                tried += 1
                done += any(a.get("status") in ("done", "refused") for a in turn.actions)
    return ratio(done, tried)


def node_timings(turns: list[TurnResult]) -> dict[str, float]:
    """Median of each `timings` entry kefu reports per turn (time spent per graph node, total)."""
    values: dict[str, list[float]] = defaultdict(list)
    for t in turns:
        timings = t.data.get("timings")
        for name, ms in timings.items() if isinstance(timings, dict) else []:
            if isinstance(ms, (int, float)) and not isinstance(ms, bool):
                values[name].append(float(ms))
    return {name: round(percentile(ms, 50), 2) for name, ms in sorted(values.items())}


def handling_seconds(record: ConversationRecord) -> float:
    """Modelled handling time: the customer typing and reading plus kefu's latency."""
    total = 0.0
    for t in record.turns:
        typing = min(len(t.message) / TYPING_CHARS_PER_S, MAX_TYPING_S)  # long texts are pasted
        total += typing + len(t.reply) / READING_CHARS_PER_S + t.latency_ms / 1000
    return total


def ratio(part: float, whole: float) -> float:
    """part/whole rounded, 0 when whole is 0."""
    return round(part / whole, 4) if whole else 0.0


def dialog_metrics(records: list[ConversationRecord], cost: CostModel | None = None) -> dict[str, Any]:
    """The business metrics of a set of simulated conversations (flat keys, numbers)."""
    cost = cost or CostModel()
    n = len(records)
    turns = [t for r in records for t in r.turns]
    judged = [r for r in records if r.verdict is not None]
    writes = [r for r in judged if r.task.expect_writes]
    fact_tasks = [r for r in judged if r.task.facts]
    solved = [r for r in records if r.resolved_first_contact]
    out: dict[str, Any] = {
        "conversations": n,
        "turns": len(turns),
        "fcr": ratio(sum(r.resolved_first_contact for r in records), n),
        "task_success": ratio(sum(bool(r.verdict and r.verdict.passed) for r in judged), len(judged)),
        "handoff_rate": ratio(sum(r.handoff for r in records), n),
        "unrequested_handoff_rate": ratio(sum(r.handoff and not r.task.expect_handoff for r in records), n),
        "front_tier_share": ratio(sum(t.tier == "front" for t in turns), len(turns)),
        "avg_turns": round(len(turns) / n, 3) if n else 0.0,
        "avg_handling_s": round(sum(map(handling_seconds, records)) / n, 2) if n else 0.0,
        "avg_turns_to_resolution": round(sum(len(r.turns) for r in solved) / len(solved), 3)
        if solved
        else 0.0,
        "avg_resolution_s": round(sum(map(handling_seconds, solved)) / len(solved), 2) if solved else 0.0,
        "correct_actions": ratio(sum(bool(r.verdict and r.verdict.writes_ok) for r in writes), len(writes)),
        "write_safety": ratio(sum(bool(r.verdict and r.verdict.writes_ok) for r in judged), len(judged)),
        "fact_rate": ratio(sum(bool(r.verdict and r.verdict.facts_ok) for r in fact_tasks), len(fact_tasks)),
        "errors": sum(r.errors for r in records),
        "gave_up_rate": ratio(sum(r.outcome == "gave_up" for r in records), n),
        "cost_per_conversation_cny": round(sum(cost.turn_cost(t) for t in turns) / n, 6) if n else 0.0,
        **latency_summary(turns),
    }
    out["tier_share"] = {
        k: ratio(v, len(turns)) for k, v in Counter(t.tier or "unknown" for t in turns).items()
    }
    out["per_tier_latency"] = per_tier_latency(turns)
    out["node_p50_ms"] = node_timings(turns)
    out["confirm_success_rate"] = confirm_success(records)
    return out


def group_resolution(records: list[ConversationRecord], key: str) -> dict[str, dict[str, float]]:
    """Conversations and FCR by a task attribute (persona, kind)."""
    groups: dict[str, list[ConversationRecord]] = defaultdict(list)
    for r in records:
        groups[str(getattr(r.task, key))].append(r)
    return {
        name: {
            "conversations": len(rs),
            "fcr": ratio(sum(r.resolved_first_contact for r in rs), len(rs)),
            "handoff_rate": ratio(sum(r.handoff for r in rs), len(rs)),
            "avg_turns": round(sum(len(r.turns) for r in rs) / len(rs), 2),
        }
        for name, rs in sorted(groups.items())
    }


def confusion(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """gold -> predicted -> count."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for gold, pred in pairs:
        table[gold][pred] += 1
    return {g: dict(p) for g, p in sorted(table.items())}


def first_turn_intents(records: list[ConversationRecord]) -> dict[str, dict[str, int]]:
    """Confusion of the task's intent against kefu's intent on the opening message."""
    return confusion(
        (r.task.intent, r.turns[0].intent or "?")
        for r in records
        if r.task.intent and r.turns and r.turns[0].ok
    )


def emotion_trajectories(records: list[ConversationRecord]) -> dict[str, dict[str, list[float]]]:
    """Per persona: mean kefu-detected anger/anxiety intensity and the simulator's own, per turn."""
    detected: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    simulated: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        for i, t in enumerate(r.turns):
            label = str(t.emotion.get("label") or "neutral")
            value = float(t.emotion.get("intensity") or 0.0) if label in ("angry", "anxious") else 0.0
            detected[r.task.persona][i].append(value)
        for i, (label, value) in enumerate(r.sim_emotions):
            simulated[r.task.persona][i].append(value if label in ("angry", "anxious") else 0.0)

    def means(table: dict[int, list[float]]) -> list[float]:
        return [round(sum(table[i]) / len(table[i]), 3) for i in sorted(table)]

    return {
        p: {"detected": means(detected[p]), "simulated": means(simulated.get(p, {}))}
        for p in sorted(detected)
    }


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from true positives, false positives and false negatives."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
