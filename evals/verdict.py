"""Deterministic verdicts: did the conversation leave the store as the task expects, and did the
replies carry the required facts? Wording is never judged, only facts (numbers, names, ids)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from evals.tasks import Task

# Write kinds and the action-name fragments that identify them (first match wins).
KIND_PATTERNS: list[tuple[str, tuple[str, ...]]] = [
    ("price_protection", ("price_protect", "price", "jiabao")),
    ("cancel", ("cancel",)),
    ("exchange", ("exchange",)),
    ("return", ("return", "refund")),
    ("invoice", ("invoice",)),
    ("urge", ("urge", "expedite")),
    ("address", ("address", "phone", "modify", "change")),
]
WRITE_KINDS: tuple[str, ...] = tuple(kind for kind, _ in KIND_PATTERNS)
"""Every kind of write the shop's actions make."""


@dataclass
class WriteRecord:
    """One write the store logged during the conversation."""

    action: str
    order_id: str | None
    status_before: str | None = None
    status_after: str | None = None
    order_after: dict[str, Any] = field(default_factory=dict)
    """The order row right after the write (from the log's `after` snapshot)."""

    @property
    def kind(self) -> str:
        return write_kind(self.action)


@dataclass
class Verdict:
    """The outcome of one task, with the reasons it failed (empty when it passed)."""

    passed: bool
    writes_ok: bool
    facts_ok: bool
    handoff_ok: bool
    reasons: list[str] = field(default_factory=list)
    missing_facts: list[list[str]] = field(default_factory=list)
    forbidden_seen: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "writes_ok": self.writes_ok,
            "facts_ok": self.facts_ok,
            "handoff_ok": self.handoff_ok,
            "reasons": self.reasons,
            "missing_facts": self.missing_facts,
            "forbidden_seen": self.forbidden_seen,
        }


def write_kind(action: str) -> str:
    """Map a store action name (cancel_order, create_return, ...) to a write kind."""
    name = action.lower()
    for kind, fragments in KIND_PATTERNS:
        if any(fragment in name for fragment in fragments):
            return kind
    return name


_RANGE = re.compile(r"(\d)\s*(?:~|～|〜|—|–|－|-|至|到)\s*(\d)")
_LONG_DIGITS = re.compile(r"\d{8,}")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise(text: str, keep_ids: bool = False) -> str:
    """Lower-case, no spaces, ASCII digits, digit ranges written `a-b`; long ids dropped unless kept."""
    text = text.translate(_FULLWIDTH).lower()
    text = re.sub(r"\s+", "", text)
    text = _RANGE.sub(r"\1-\2", text)
    return text if keep_ids else _LONG_DIGITS.sub("#", text)


def fact_present(alternatives: list[str], text: str) -> bool:
    """True when one alternative occurs in the text (ids only match ids, small numbers stand alone)."""
    for alt in alternatives:
        needle = normalise(alt, keep_ids=True)
        if _LONG_DIGITS.fullmatch(needle) or needle.isalnum() and len(needle) >= 8:
            if needle in normalise(text, keep_ids=True):
                return True
        elif needle.isdigit():
            if re.search(rf"(?<![\d.]){re.escape(needle)}(?![\d])", normalise(text)):
                return True
        elif needle in normalise(text):
            return True
    return False


def check_writes(task: Task, writes: list[WriteRecord], statuses: dict[str, str | None]) -> list[str]:
    """Reasons the store state is wrong for the task (empty list: right)."""
    reasons: list[str] = []
    matched: set[int] = set()
    for expected in task.expect_writes:
        hit = next(
            (
                i
                for i, w in enumerate(writes)
                if i not in matched
                and w.kind == expected.kind
                and (w.order_id is None or str(w.order_id) == str(expected.order_id))
            ),
            None,
        )
        if hit is None:
            reasons.append(f"missing write: {expected.kind} on {expected.order_id}")
            continue
        matched.add(hit)
        for name, value in expected.order_fields.items():
            if normalise(str(value)) not in normalise(
                str(writes[hit].order_after.get(name, "")), keep_ids=True
            ):
                reasons.append(
                    f"wrong write: {expected.kind} on {expected.order_id} left {name} without {value}"
                )
        if expected.status_after and statuses.get(str(expected.order_id)) != expected.status_after:
            reasons.append(
                f"order {expected.order_id} is {statuses.get(str(expected.order_id))}, "
                f"expected {expected.status_after}"
            )
    for i, write in enumerate(writes):
        if i in matched:
            continue
        allowed = write.kind in task.allowed_writes and (
            write.order_id is None or task.order_id is None or str(write.order_id) == str(task.order_id)
        )
        if not allowed:
            reasons.append(f"unexpected write: {write.action} on {write.order_id}")
    return reasons


def judge(
    task: Task,
    writes: list[WriteRecord],
    statuses: dict[str, str | None],
    replies: list[str],
    handoff_active: bool,
) -> Verdict:
    """The verdict of one finished conversation."""
    write_reasons = check_writes(task, writes, statuses)
    text = "\n".join(replies)
    missing = [alts for alts in task.facts if not fact_present(alts, text)]
    forbidden = [f for f in task.forbidden_facts if fact_present([f], text)]
    handoff_ok = handoff_active if task.expect_handoff else True
    reasons = list(write_reasons)
    reasons += [f"missing fact: {alts[0]}" for alts in missing]
    reasons += [f"forbidden fact: {f}" for f in forbidden]
    if not handoff_ok:
        reasons.append("expected a handoff to a human")
    facts_ok = not missing and not forbidden
    return Verdict(
        passed=not reasons,
        writes_ok=not write_reasons,
        facts_ok=facts_ok,
        handoff_ok=handoff_ok,
        reasons=reasons,
        missing_facts=missing,
        forbidden_seen=forbidden,
    )
