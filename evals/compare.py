"""Compare a run with a previous one (flag regressions) and check gates such as `fcr>=0.85`."""

from __future__ import annotations

import json
import math
import operator
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOWER_IS_BETTER = re.compile(
    r"(_ms|^errors$|error_rate|wrong_facts|wrong_hits|handoff_rate|avg_turns|avg_handling_s|cost|gave_up_rate|"
    r"injection_leaks|unsafe_writes|stale|evictions|order_specific_hits|wrong_topic_hits|figures_missing|"
    r"figures_contradicted)$"
)
HIGHER_IS_BETTER = re.compile(
    r"(fcr|accuracy|f1|recall|hit_rate|throughput|share|success|correct|fact_rate|handled|reward|write_safety|"
    r"pass_rate|pass_hat|would_have_resolved|agreement)"
)
COUNT_KEYS = re.compile(
    r"(^errors$|wrong_facts|wrong_hits|injection_leaks|unsafe_writes|order_specific_hits)$"
)
GATE = re.compile(r"^\s*([A-Za-z0-9_.]+)\s*(>=|<=|==|>|<)\s*(-?[0-9.]+)\s*$")
OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, ">": operator.gt, "<": operator.lt}


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Nested summary -> {"a.b.c": number}."""
    out: dict[str, float] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = float(value)
    return out


def direction(key: str) -> int:
    """+1 higher is better, -1 lower is better, 0 neutral (sizes, counts of work)."""
    leaf = key.rsplit(".", 1)[-1]
    if LOWER_IS_BETTER.search(leaf):
        return -1
    if HIGHER_IS_BETTER.search(leaf):
        return 1
    return 0


@dataclass
class Delta:
    """One metric before and after, and whether it regressed or improved."""

    key: str
    before: float
    after: float
    regression: bool
    improvement: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "before": self.before,
            "after": self.after,
            "delta": round(self.after - self.before, 6),
            "regression": self.regression,
            "improvement": self.improvement,
        }


def compare(current: dict[str, Any], previous: dict[str, Any]) -> list[Delta]:
    """Per shared numeric metric: before, after, and whether it got worse beyond noise."""
    now, then = flatten(current), flatten(previous)
    out = []
    for key in sorted(set(now) & set(then)):
        sign = direction(key)
        change = (now[key] - then[key]) * sign
        tolerance = noise(key, then[key], now, then)
        out.append(
            Delta(
                key, then[key], now[key], sign != 0 and change < -tolerance, sign != 0 and change > tolerance
            )
        )
    return out


def noise(key: str, before: float, now: dict[str, float], then: dict[str, float]) -> float:
    """How much a metric may move by chance: 0 for safety counts; two binomial standard errors for a
    rate measured on n conversations (n read from the sibling `conversations`); else 5% (at least 0.01)."""
    leaf = key.rsplit(".", 1)[-1]
    if COUNT_KEYS.search(leaf):
        return 0.0
    prefix = key[: -len(leaf)]
    n = min(now.get(prefix + "conversations", 0.0), then.get(prefix + "conversations", 0.0))
    if 0.0 <= before <= 1.0 and n >= 1 and not leaf.endswith(("_ms", "_s")):
        p = (before * n + 1) / (n + 2)  # Laplace, so a perfect score still has some spread
        return max(0.01, 2 * math.sqrt(p * (1 - p) / n))
    if leaf.endswith("_ms"):  # timings on a shared machine wobble by several percent run to run
        return max(1.0, 0.10 * abs(before))
    if n >= 1 and leaf.startswith("avg_"):  # a mean over n conversations (spread about its own size)
        return max(0.01, 0.05 * abs(before), 1.5 * abs(before) / math.sqrt(n))
    return max(0.01, 0.05 * abs(before))


def load_summary(run_dir: Path) -> dict[str, Any]:
    """summary.json of a previous run directory (or the file itself)."""
    path = Path(run_dir)
    path = path / "summary.json" if path.is_dir() else path
    if not path.exists():
        raise FileNotFoundError(f"no summary.json at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class GateResult:
    """One --gate and whether the run met it."""

    gate: str
    value: float | None
    passed: bool

    def to_json(self) -> dict[str, Any]:
        return {"gate": self.gate, "value": self.value, "passed": self.passed}


def parse_gate(text: str) -> tuple[str, str, float]:
    """`fcr>=0.85` -> (key, operator, bound); ValueError for anything else."""
    match = GATE.match(text)
    if not match:
        raise ValueError(f"bad gate {text!r}: write METRIC>=NUMBER (operators >=, <=, >, <, ==)")
    return match.group(1), match.group(2), float(match.group(3))


def check_gates(summary: dict[str, Any], gates: list[str]) -> list[GateResult]:
    """Each gate against the summary (dotted names reach nested metrics); a missing metric fails."""
    flat = flatten(summary)
    results = []
    for gate in gates:
        key, op, bound = parse_gate(gate)
        value = flat.get(key)
        results.append(GateResult(gate.strip(), value, value is not None and OPS[op](value, bound)))
    return results
