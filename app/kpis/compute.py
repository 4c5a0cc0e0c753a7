"""The service manager's KPIs, computed from logged turns, tickets and ratings (pure functions).

Definitions (one conversation = one chat session that started in the window):
- `fcr` (first-contact resolution): share of conversations the bot finished on its own: never handed
  to a human, and its last answered turn resolved (graph/nodes/resolve.py's rules);
- `handoff_rate`: share of conversations with a human-handoff ticket (any reason, the pilot's too);
- `aht_s`: average handling time in seconds, `bot` over conversations the bot finished (first message
  to last reply), `human` over tickets an agent took and ended (taken to ended);
- `csat`: mean 0-10 rating of the rated conversations; `nps`: share of 9-10 minus share of 0-6;
- `front_tier_share`: share of bot-answered turns written by the front tier (store + template);
- `p50_ms`/`p99_ms`: turn latency over bot-answered turns; `intents`/`emotions`: counts over them;
- `cost_per_conversation_cny`: estimated (settings' cost_* values): bot turns by tier plus agent time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import numpy as np

from app.kpis.turnlog import TurnRow

NO_CATEGORY = "none"
"""The `by_category` key of conversations about no order."""


@dataclass(frozen=True)
class CostModel:
    """Estimated costs in CNY: a bot turn (front tier or composer), an LLM turn, an hour of an agent."""

    bot_turn: float
    llm_turn: float
    agent_hour: float


@dataclass
class Conversation:
    """One conversation: its logged turns, its tickets and its rating."""

    session_id: str
    turns: list[TurnRow]
    tickets: list[dict[str, Any]] = field(default_factory=list)
    rating: int | None = None

    @property
    def answered(self) -> list[TurnRow]:
        """Turns the bot answered (not messages relayed to a human)."""
        return [t for t in self.turns if not t.relayed]

    @property
    def handed_off(self) -> bool:
        return bool(self.tickets)

    @property
    def first_contact_resolved(self) -> bool:
        answered = self.answered
        return not self.handed_off and bool(answered) and answered[-1].resolved

    @property
    def decision(self) -> TurnRow | None:
        """The turn whose pilot decision places the conversation: the first human-side one, else the first."""
        decided = [t for t in self.turns if t.arm]
        return next((t for t in decided if t.arm == "human"), decided[0] if decided else None)

    @property
    def category(self) -> str:
        decision = self.decision
        return decision.category or NO_CATEGORY if decision else NO_CATEGORY

    @property
    def arm(self) -> str | None:
        decision = self.decision
        return decision.arm if decision else None

    @property
    def bot_seconds(self) -> float:
        first, last = self.turns[0], self.turns[-1]
        return max(last.started_at + last.ms / 1000.0 - first.started_at, 0.0)

    def human_seconds(self) -> list[float]:
        return [float(t["ended_at"]) - float(t["taken_at"]) for t in self.tickets
                if t.get("taken_at") is not None and t.get("ended_at") is not None]

    def day(self, tz: tzinfo) -> str:
        return datetime.fromtimestamp(self.turns[0].started_at, tz).date().isoformat()


def group_conversations(turns: Iterable[TurnRow], tickets: Iterable[dict[str, Any]],
                        ratings: dict[str, int]) -> list[Conversation]:
    """The conversations of the logged turns (in order of their first turn), with tickets and rating."""
    by_session: dict[str, Conversation] = {}
    for row in sorted(turns, key=lambda t: t.started_at):
        by_session.setdefault(row.session_id, Conversation(row.session_id, [])).turns.append(row)
    for ticket in tickets:
        if ticket["session_id"] in by_session:
            by_session[ticket["session_id"]].tickets.append(ticket)
    for session, conversation in by_session.items():
        conversation.rating = ratings.get(session)
    return list(by_session.values())


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: list[float], digits: int = 2) -> float | None:
    return round(float(np.mean(values)), digits) if values else None


def _turn_cost(row: TurnRow, cost: CostModel) -> float:
    return cost.llm_turn if row.tier == "llm" else cost.bot_turn


def summarize(conversations: list[Conversation], cost: CostModel) -> dict[str, Any]:
    """Every KPI over these conversations (see the module docstring for the definitions)."""
    n = len(conversations)
    answered = [t for c in conversations for t in c.answered]
    ratings = [c.rating for c in conversations if c.rating is not None]
    promoters, detractors = sum(r >= 9 for r in ratings), sum(r <= 6 for r in ratings)
    human = [s for c in conversations for s in c.human_seconds()]
    latencies = [t.ms for t in answered]
    p50, p99 = (float(v) for v in np.percentile(latencies, [50, 99])) if latencies else (None, None)
    spent = sum(_turn_cost(t, cost) for t in answered) + sum(human) * cost.agent_hour / 3600.0
    handed = sum(c.handed_off for c in conversations)
    fcr = sum(c.first_contact_resolved for c in conversations)
    return {
        "conversations": n, "turns": len(answered), "handoffs": handed, "first_contact_resolved": fcr,
        "fcr": _share(fcr, n), "handoff_rate": _share(handed, n),
        "aht_s": {"bot": _mean([c.bot_seconds for c in conversations if not c.handed_off]), "human": _mean(human)},
        "rated": len(ratings), "promoters": promoters, "detractors": detractors,
        "csat": _mean([float(r) for r in ratings], 3),
        "nps": round((promoters - detractors) / len(ratings), 4) if ratings else None,
        "front_tier_share": _share(sum(t.tier == "front" for t in answered), len(answered)),
        "p50_ms": round(p50, 1) if p50 is not None else None, "p99_ms": round(p99, 1) if p99 is not None else None,
        "cost_per_conversation_cny": round(spent / n, 4) if n else None,
        "intents": dict(Counter(t.intent for t in answered if t.intent).most_common()),
        "emotions": dict(Counter(t.emotion for t in answered if t.emotion).most_common()),
        "handoff_reasons": dict(Counter(str(t["reason"]) for c in conversations for t in c.tickets).most_common()),
    }


def _grouped(conversations: list[Conversation], key: Callable[[Conversation], str | None],
             cost: CostModel) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Conversation]] = {}
    for conversation in conversations:
        name = key(conversation)
        if name is not None:
            groups.setdefault(name, []).append(conversation)
    return {name: summarize(members, cost) for name, members in sorted(groups.items())}


def kpis(conversations: list[Conversation], cost: CostModel, tz: tzinfo) -> dict[str, Any]:
    """The KPIs overall, `by_category`, `by_arm` (conversations the pilot placed) and `by_day` (shop time)."""
    days = _grouped(conversations, lambda c: c.day(tz), cost)
    return {
        **summarize(conversations, cost),
        "by_category": _grouped(conversations, lambda c: c.category, cost),
        "by_arm": _grouped(conversations, lambda c: c.arm, cost),
        "by_day": [{"day": day, **figures} for day, figures in days.items()],
    }
