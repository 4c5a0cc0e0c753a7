"""What the simulated customer notices in one kefu answer: a proposal to confirm, a question for
the order id, a list of orders to pick from, a refusal, a finished write, a handoff."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from evals.client import TurnResult
from evals.verdict import write_kind

_ORDER_IDS = re.compile(r"(?<![0-9A-Za-z])\d{8,20}(?![0-9A-Za-z])")
_CONFIRM_ASK = re.compile(r"确认.{0,40}[吗？?]|回复.{0,6}确认|confirm", re.IGNORECASE)
_ASK_ORDER = re.compile(r"订单号|哪个订单|哪一个订单|哪笔订单|order (?:number|id)|which order", re.IGNORECASE)
_NOT_UNDERSTOOD = re.compile(
    r"没(?:有)?理解|不太明白|没听懂|没看懂|didn't understand|not sure what you mean", re.IGNORECASE
)


@dataclass
class Observation:
    """The parts of one answer the customer reacts to."""

    error: bool = False
    handoff: bool = False
    proposed: list[dict[str, Any]] = field(default_factory=list)
    done: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    asks_confirm: bool = False
    asks_order: bool = False
    missing_slot: str | None = None
    choices: list[str] = field(default_factory=list)
    not_understood: bool = False


def _action_order(action: dict[str, Any]) -> str | None:
    args = action.get("args") if isinstance(action.get("args"), dict) else {}
    result = action.get("result") if isinstance(action.get("result"), dict) else {}
    value = args.get("order_id") or result.get("order_id")
    return str(value) if value else None


def _choice_ids(turn: TurnResult) -> list[str]:
    raw = turn.state.get("choices") or turn.data.get("choices") or []
    for action in turn.actions:  # a need_slot action lists the candidates it offers
        raw = raw or (action.get("choices") if isinstance(action.get("choices"), list) else [])
    ids = []
    for choice in raw if isinstance(raw, list) else []:
        if isinstance(choice, dict) and choice.get("order_id"):
            ids.append(str(choice["order_id"]))
        elif isinstance(choice, (str, int)):
            ids.append(str(choice))
    if not ids and _ASK_ORDER.search(turn.reply):  # "which order? your recent orders: A, B, C"
        ids = _ORDER_IDS.findall(turn.reply)
        ids = ids if len(set(ids)) >= 2 else []
    return list(dict.fromkeys(ids))


def observe(turn: TurnResult) -> Observation:
    """Read one turn result the way a customer reads the reply (plus the structured fields)."""
    if not turn.ok:
        return Observation(error=True)
    obs = Observation(handoff=turn.handoff_active)
    for action in turn.actions:
        status = str(action.get("status") or "")
        if status == "proposed":
            obs.proposed.append(action)
        elif status in ("done", "confirmed") and write_kind(str(action.get("name") or "")) != "":
            obs.done.append(action)
        elif status == "refused":
            obs.refused.append(action)
    pending = turn.state.get("pending_action")
    obs.asks_confirm = bool(obs.proposed) or bool(pending) or bool(_CONFIRM_ASK.search(turn.reply))
    slot = turn.state.get("missing_slot") or turn.data.get("missing_slot") or turn.state.get("awaiting_slot")
    if not slot:
        missing = [m for a in turn.actions for m in (a.get("missing") or []) if isinstance(m, str)]
        slot = missing[0] if missing else None
    obs.missing_slot = str(slot) if slot else None
    obs.choices = _choice_ids(turn)
    obs.asks_order = obs.missing_slot == "order_id" or (
        not obs.asks_confirm and bool(_ASK_ORDER.search(turn.reply)) and not _ORDER_IDS.search(turn.reply)
    )
    obs.not_understood = bool(_NOT_UNDERSTOOD.search(turn.reply))
    return obs


def action_matches(action: dict[str, Any], kind: str, order_id: str | None) -> bool:
    """Whether a proposed/done action is the write the customer wants."""
    if write_kind(str(action.get("name") or "")) != kind:
        return False
    target = _action_order(action)
    return order_id is None or target is None or target == str(order_id)
