"""Scenarios of a scenario file: acceptance conversations an evaluator writes in YAML.

The format is in evals/README.md ("Your own scenarios and shadow replays") and
evals/examples/shop_scenarios.yaml; evals/scenario_file.py reads and validates a file into these types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from evals.suites.base import SuiteError
from evals.tasks import STATUS_WORDS

PLACEHOLDER = re.compile(r"\{order:([^{}]*)\}")
STATUSES = tuple(STATUS_WORDS)


class ScenarioFileError(SuiteError):
    """A scenario file that cannot be run; the message is one line naming the scenario and field."""


@dataclass
class PolicyEdit:
    """A live policy change between turns: publish new versions of `policies` with `old` replaced by `new`."""

    policies: list[str]
    old: str
    new: str


@dataclass
class Step:
    """One scripted step: a customer message (with optional per-turn expectations) or a policy change."""

    say: str | None = None
    intent: str | None = None
    facts: list[list[str]] = field(default_factory=list)
    not_facts: list[str] = field(default_factory=list)
    policy_change: PolicyEdit | None = None


@dataclass
class WriteSpec:
    """A write the store must show afterwards."""

    action: str
    kind: str
    status_after: str | None = None
    order: str | None = None
    """An `{order:...}` placeholder naming the order written (None: the scenario's only order, or any)."""


@dataclass
class Expectation:
    """What the whole conversation must leave: writes (and no others), facts, handoff."""

    writes: list[WriteSpec] = field(default_factory=list)
    facts: list[list[str]] = field(default_factory=list)
    """Each inner list: alternatives, one of which some reply must contain."""
    not_facts: list[str] = field(default_factory=list)
    handoff: bool | None = None
    """True: kefu must hand off; False: it must not; None: not checked."""


@dataclass
class Scenario:
    """One scenario of a file: scripted `steps`, or a `goal` the simulator plays as `persona`."""

    id: str
    user: str
    expect: Expectation
    steps: list[Step] = field(default_factory=list)
    goal: str | None = None
    persona: str = "polite"
    order: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    description: str = ""

    @property
    def is_goal(self) -> bool:
        return self.goal is not None

    def texts(self) -> list[tuple[str, str]]:
        """(field, text) of every text that may hold an order placeholder."""
        out = [(f"turns[{i}]", s.say) for i, s in enumerate(self.steps) if s.say]
        out += [(f"turns[{i}].facts", alt) for i, s in enumerate(self.steps) for alts in s.facts for alt in alts]
        out += [("goal", self.goal or ""), ("order", self.order or "")]
        out += [("expect.facts", alt) for alts in self.expect.facts for alt in alts]
        out += [(f"expect.writes[{i}].order", w.order or "") for i, w in enumerate(self.expect.writes)]
        return out

    def placeholders(self) -> list[tuple[str, str]]:
        """(field, key) of every `{order:KEY}` used, in order of use."""
        return [(where, m.group(1)) for where, text in self.texts() for m in PLACEHOLDER.finditer(text)]

    def placeholder_keys(self) -> list[str]:
        """The `{order:KEY}` keys used, each once, in order of first use."""
        return list(dict.fromkeys(key for _, key in self.placeholders()))
