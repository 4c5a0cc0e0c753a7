"""The verdict of one played scenario: every failed expectation becomes one readable reason.

Like evals/verdict.py it reads the store (the action log and order statuses) for writes and only
facts (numbers, names, ids) from the replies, never their wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evals.scenarios import Expectation, WriteSpec
from evals.verdict import WriteRecord, fact_present


@dataclass
class PlayedTurn:
    """One customer message as played, what kefu answered, and the step's own expectations."""

    message: str
    reply: str
    intent: str = ""
    handoff: bool = False
    handoff_reason: str | None = None
    error: str | None = None
    expect_intent: str | None = None
    facts: list[list[str]] = field(default_factory=list)
    not_facts: list[str] = field(default_factory=list)


@dataclass
class ExpectedWrite:
    """A WriteSpec with its placeholder resolved to an order id (None: any order)."""

    spec: WriteSpec
    order_id: str | None


def judge_scenario(
    expect: Expectation,
    turns: list[PlayedTurn],
    writes: list[WriteRecord],
    statuses: dict[str, str | None],
    expected_writes: list[ExpectedWrite],
) -> list[str]:
    """Reasons the scenario failed, one per failed expectation (empty: it passed)."""
    reasons = turn_reasons(turns)
    reasons += write_reasons(expected_writes, writes, statuses)
    replies = [t.reply for t in turns]
    for alternatives in expect.facts:
        if not fact_present(alternatives, "\n".join(replies)):
            reasons.append(f"missing fact: no reply contains {_alts(alternatives)}")
    for fact in expect.not_facts:
        hits = [i + 1 for i, reply in enumerate(replies) if fact_present([fact], reply)]
        if hits:
            reasons.append(f"forbidden fact: reply {_list(hits)} contains '{fact}'")
    reasons += handoff_reasons(expect.handoff, turns)
    return reasons


def turn_reasons(turns: list[PlayedTurn]) -> list[str]:
    """Per-turn failures: no answer, a wrong intent, a per-turn fact missing or forbidden."""
    reasons = []
    for n, turn in enumerate(turns, start=1):
        if turn.error:
            reasons.append(f"turn {n}: kefu gave no answer ({turn.error})")
            continue
        if turn.expect_intent and turn.intent != turn.expect_intent:
            reasons.append(f"turn {n}: kefu read intent {turn.intent or '(none)'}, expected {turn.expect_intent}")
        for alternatives in turn.facts:
            if not fact_present(alternatives, turn.reply):
                reasons.append(f"turn {n}: missing fact: the reply does not contain {_alts(alternatives)}")
        for fact in turn.not_facts:
            if fact_present([fact], turn.reply):
                reasons.append(f"turn {n}: forbidden fact: the reply contains '{fact}'")
    return reasons


def write_reasons(
    expected: list[ExpectedWrite], writes: list[WriteRecord], statuses: dict[str, str | None]
) -> list[str]:
    """Each expected write must be in the log (right order, right status after); nothing else may be."""
    reasons: list[str] = []
    matched: set[int] = set()
    for want in expected:
        hit = next(
            (
                i
                for i, w in enumerate(writes)
                if i not in matched
                and w.kind == want.spec.kind
                and (want.order_id is None or str(w.order_id) == want.order_id)
            ),
            None,
        )
        where = f" on order {want.order_id}" if want.order_id else ""
        if hit is None:
            reasons.append(f"missing write: {want.spec.action}{where} (the store logged no such write)")
            continue
        matched.add(hit)
        order_id = str(writes[hit].order_id)
        status = statuses.get(order_id)
        if want.spec.status_after and status != want.spec.status_after:
            reasons.append(f"wrong status: order {order_id} is {status} after the conversation, "
                           f"expected {want.spec.status_after}")
    for i, write in enumerate(writes):
        if i not in matched:
            reasons.append(f"unexpected write: {write.action} on order {write.order_id}")
    return reasons


def handoff_reasons(expected: bool | None, turns: list[PlayedTurn]) -> list[str]:
    """A handoff that should have happened and did not, or the other way round."""
    handed = next((n for n, t in enumerate(turns, start=1) if t.handoff), None)
    if expected is True and handed is None:
        return ["handoff: expected a handoff to a human, kefu kept the conversation"]
    if expected is False and handed is not None:
        why = turns[handed - 1].handoff_reason
        return [f"handoff: kefu handed off to a human at turn {handed}" + (f" ({why})" if why else "")
                + ", none was expected"]
    return []


def _alts(alternatives: list[str]) -> str:
    return " or ".join(f"'{a}'" for a in alternatives)


def _list(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers))
