"""One replayed conversation: each customer turn as kefu answered it, beside the agent's answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evals.client import ChatClient, TurnResult
from evals.figures import FigureCheck, compare_figures
from evals.verdict import WRITE_KINDS, write_kind


@dataclass
class ReplayTurn:
    """One customer message of a past conversation, kefu's answer and the agent's."""

    index: int
    customer: str
    agent: str
    """What the agent answered before the customer's next message ("" when the customer wrote again)."""
    reply: str = ""
    intent: str = ""
    emotion: str = ""
    intensity: float = 0.0
    gold_intent: str | None = None
    gold_emotion: str | None = None
    handoff: bool = False
    handoff_reason: str | None = None
    resolved: bool | None = None
    tier: str = ""
    writes: list[dict[str, Any]] = field(default_factory=list)
    """Writes kefu proposed or carried out this turn: {action, order_id, status}."""
    figures: FigureCheck = field(default_factory=FigureCheck)
    error: str | None = None
    latency_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "turn": self.index,
            "customer": self.customer,
            "agent": self.agent,
            "kefu": self.reply,
            "intent": self.intent,
            "emotion": self.emotion,
            "intensity": round(self.intensity, 2),
            "gold_intent": self.gold_intent,
            "gold_emotion": self.gold_emotion,
            "handoff": self.handoff,
            "handoff_reason": self.handoff_reason,
            "resolved": self.resolved,
            "tier": self.tier,
            "writes": self.writes,
            "figures": self.figures.to_json(),
            "error": self.error,
            "latency_ms": round(self.latency_ms, 1),
        }


@dataclass
class ReplayConversation:
    """A past conversation replayed through kefu."""

    id: str
    user: str
    turns: list[ReplayTurn]

    @property
    def handoff_turn(self) -> int | None:
        """The first turn at which kefu would have handed the customer to a human (None: never)."""
        return next((t.index for t in self.turns if t.handoff), None)

    @property
    def would_have_resolved(self) -> bool:
        """kefu alone would have closed it: no handoff, no failed turn, no figure contradicting the agent,
        and its last reply moved the customer forward."""
        if not self.turns or self.handoff_turn is not None:
            return False
        if any(t.error or t.figures.contradicted for t in self.turns):
            return False
        return self.turns[-1].resolved is not False

    def to_json(self) -> dict[str, Any]:
        first = self.handoff_turn
        return {
            "id": self.id,
            "user": self.user,
            "handoff_turn": first,
            "handoff_reason": self.turns[first - 1].handoff_reason if first else None,
            "would_have_resolved": self.would_have_resolved,
            "turns": [t.to_json() for t in self.turns],
        }


def pair_turns(dialogue: Any) -> list[tuple[str, str, Any]]:
    """(customer text, the agent's following answer, the customer turn) for each customer turn."""
    pairs: list[tuple[str, str, Any]] = []
    agent: list[str] = []
    for turn in dialogue.turns:
        if turn.role == "customer":
            if pairs:
                pairs[-1] = (pairs[-1][0], "\n".join(agent), pairs[-1][2])
            pairs.append((turn.text, "", turn))
            agent = []
        elif pairs:
            agent.append(turn.text)
    if pairs:
        pairs[-1] = (pairs[-1][0], "\n".join(agent), pairs[-1][2])
    return pairs


def replay_turns(client: ChatClient, session: str, user: str, dialogue: Any) -> list[ReplayTurn]:
    """Send the customer's turns in order and record kefu's answers beside the agent's."""
    out = []
    for index, (customer, agent, source) in enumerate(pair_turns(dialogue), start=1):
        result = client.send(session, user, customer)
        out.append(replay_turn(index, customer, agent, source, result))
    return out


def replay_turn(index: int, customer: str, agent: str, source: Any, result: TurnResult) -> ReplayTurn:
    """One row of the side-by-side report from kefu's turn result."""
    handoff = result.data.get("handoff") if isinstance(result.data.get("handoff"), dict) else {}
    resolved = result.state.get("resolved")
    return ReplayTurn(
        index=index,
        customer=customer,
        agent=agent,
        reply=result.reply,
        intent=result.intent,
        emotion=str(result.emotion.get("label") or ""),
        intensity=float(result.emotion.get("intensity") or 0.0),
        gold_intent=getattr(source, "intent", None),
        gold_emotion=getattr(source, "emotion", None),
        handoff=result.handoff_active,
        handoff_reason=str(handoff.get("reason")) if handoff.get("reason") else None,
        resolved=bool(resolved) if isinstance(resolved, bool) else None,
        tier=result.tier,
        writes=proposed_writes(result),
        figures=compare_figures(agent, result.reply) if agent else FigureCheck(),
        error=result.error,
        latency_ms=result.latency_ms,
    )


def proposed_writes(result: TurnResult) -> list[dict[str, Any]]:
    """The write actions kefu proposed (awaiting the customer's yes) or carried out this turn."""
    out = []
    for action in result.actions:
        name = str(action.get("name") or "")
        is_write = action.get("kind") == "write" or write_kind(name) in WRITE_KINDS
        if is_write and action.get("status") in ("proposed", "done"):
            args = action.get("args") if isinstance(action.get("args"), dict) else {}
            out.append({"action": name, "order_id": args.get("order_id"), "status": action.get("status")})
    return out
