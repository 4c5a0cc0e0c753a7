"""Goal-driven simulated customers (rule-based, deterministic for a seed).

`UserSimulator.reset(task)` gives the opening message; `step(turn)` reads kefu's answer and gives
the next message, or None when the customer is done. Patience and emotion react to the answers:
unhelpful turns cost patience and raise anger, until the customer demands a human or leaves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from evals import phrasing
from evals.client import TurnResult
from evals.observe import Observation, action_matches, observe
from evals.tasks import Task
from evals.verdict import fact_present

GOAL_WRITE_KIND = {
    "cancel_order": "cancel",
    "return_item": "return",
    "price_drop": "price_protection",
    "change_address": "address",
    "invoice": "invoice",
}


@dataclass
class SimState:
    """The customer's side of the conversation."""

    turn: int = 0
    patience: int = 5
    emotion: str = "neutral"
    intensity: float = 0.0
    gave_order: bool = False
    confirmed: bool = False
    asked_human: bool = False
    closing: str = ""
    moves: list[str] = field(default_factory=list)
    """The dialogue move of each message sent: goal, confirm, deny, give_order, pick_choice, ..."""
    last_reply: str = ""
    outcome: str = "running"
    """running | resolved | handed_off | gave_up | max_turns"""
    trajectory: list[tuple[str, float]] = field(default_factory=list)


class ScriptedCustomer:
    """Sends a task's fixed `script` messages one by one whatever kefu answers (abnormal input)."""

    def __init__(self) -> None:
        self._left: list[str] = []
        self.state = SimState()

    def reset(self, task: Task) -> str:
        self._left = list(task.script[1:])
        return task.script[0]

    def step(self, turn: TurnResult) -> str | None:
        if self._left:
            return self._left.pop(0)
        self.state.outcome = "resolved"
        return None

    @property
    def outcome(self) -> str:
        return self.state.outcome


class UserSimulator:
    """A simulated customer driven by one task and one persona."""

    def __init__(self, seed: int, max_turns: int = 8) -> None:
        self.rng = random.Random(seed)
        self.max_turns = max_turns
        self.task: Task | None = None
        self.state = SimState()
        self.language = "zh"
        self._step_move: str | None = None

    # -- public API -------------------------------------------------------------------------
    def reset(self, task: Task) -> str:
        """Start a conversation for `task`; returns the opening message."""
        self.task = task
        persona = phrasing.personas()[task.persona]
        self.persona = persona
        self.language = task.language or phrasing.pick_language(persona, self.rng)
        self.state = SimState(
            patience=persona.patience, emotion=persona.start_emotion[0], intensity=persona.start_emotion[1]
        )
        upfront = task.order_id is not None and self.rng.random() < persona.order_id_upfront
        self._step_move = None
        message = self._say(self._opening(upfront), first=True)
        self.state.moves.append(self._step_move or "goal")
        return message

    def step(self, turn: TurnResult) -> str | None:
        """React to kefu's answer; None ends the conversation (see `state.outcome`)."""
        task, st = self._task(), self.state
        obs = observe(turn)
        st.turn += 1
        self._step_move = None
        message = self._decide(task, obs, turn)
        st.last_reply = turn.reply
        st.trajectory.append((st.emotion, round(st.intensity, 2)))
        if message is not None and st.turn >= self.max_turns:
            st.outcome = "max_turns"
            return None
        if message is not None:
            st.moves.append(self._step_move or "goal")
        return message

    @property
    def outcome(self) -> str:
        return self.state.outcome

    # -- decisions --------------------------------------------------------------------------
    def _decide(self, task: Task, obs: Observation, turn: TurnResult) -> str | None:
        st = self.state
        if obs.handoff:
            st.outcome = "resolved" if task.expect_handoff else "handed_off"
            return None
        if obs.error:
            return self._unhelpful(task)
        kind = GOAL_WRITE_KIND.get(task.goal) or (task.expect_writes[0].kind if task.expect_writes else None)
        if kind and any(action_matches(a, kind, task.order_id) for a in obs.done):
            return self._finish("thanks")
        if obs.asks_confirm:
            if (
                not obs.proposed
                or any(action_matches(a, kind or "", task.order_id) for a in obs.proposed)
                or kind is None
                and task.allowed_writes
            ):
                st.confirmed = True
                return self._say(self._move("confirm"))
            return self._say(self._move("deny") + "，" + self._opening(True))
        if task.expect_refusal and (obs.refused or self._facts_seen(turn)):
            return self._finish("accept_refusal")
        if not kind and task.facts and self._facts_seen(turn):
            return self._finish("thanks")
        if obs.choices and task.order_id and str(task.order_id) in obs.choices:
            return self._pick(obs.choices)
        repeated = turn.reply == st.last_reply
        if (obs.asks_order or obs.choices) and task.order_id and not (st.gave_order and repeated):
            st.gave_order = True
            return self._say(self._move("give_order"))
        if obs.asks_order and task.order_id is None and not repeated:
            return self._say(self._move("no_order"))
        if obs.missing_slot and obs.missing_slot != "order_id" and not repeated:
            return self._give_slot(obs.missing_slot)
        if not kind and not task.facts and not task.expect_handoff and not obs.not_understood and turn.reply:
            return self._finish("thanks")
        return self._unhelpful(task)

    def _unhelpful(self, task: Task) -> str | None:
        st, persona = self.state, self.persona
        st.patience -= 1
        st.intensity = min(1.0, st.intensity + persona.anger_gain)
        if st.intensity >= 0.5:
            st.emotion = "angry"
        if task.expect_handoff:
            if st.asked_human and st.patience <= 0:
                st.outcome = "gave_up"
                return None
            st.asked_human = True
            return self._say(self._move("demand_human"))
        if st.patience <= 0:
            if not st.asked_human and self.rng.random() < persona.asks_human_when_stuck:
                st.asked_human = True
                return self._say(self._move("demand_human"))
            st.outcome = "gave_up"
            return None
        rephrased = self._opening(task.order_id is not None)
        if st.intensity >= 0.4:
            rephrased = self._move("pressure") + "，" + rephrased
        st.gave_order = st.gave_order or task.order_id is not None
        return self._say(rephrased)

    def _finish(self, move: str) -> None:
        """The customer is done; their closing words are kept but not sent (they would cost a turn)."""
        self.state.outcome = "resolved"
        self.state.closing = self._move(move)
        self.state.intensity = max(0.0, self.state.intensity - 0.2)
        if self.state.emotion == "angry" and self.state.intensity < 0.5:
            self.state.emotion = "neutral"

    def _pick(self, choices: list[str]) -> str:
        index = choices.index(str(self._task().order_id)) + 1
        self.state.gave_order = True
        return self._say(self._move("pick_choice", index=index))

    def _give_slot(self, slot: str) -> str:
        """Answer a question for a detail (address, invoice title); unknown slots get the goal again."""
        if "address" in slot:
            return self._say(self._move("give_address"))
        if "title" in slot or "invoice" in slot:
            return self._say(self._move("give_title"))
        return self._say(self._opening(self._task().order_id is not None))

    # -- phrasing ---------------------------------------------------------------------------
    def _values(self, **extra: object) -> dict[str, object]:
        task = self._task()
        return {"order_id": task.order_id, **task.slots, **extra}

    def _opening(self, with_order: bool) -> str:
        task = self._task()
        if task.opening:  # a scenario file's own words (its order id, if any, already filled in)
            self._step_move = self._step_move or "goal"
            return phrasing.fill(task.opening, self._values())
        section = "policy_questions" if task.goal in phrasing.load_data()["policy_questions"] else "goals"
        self._step_move = self._step_move or "goal"
        templates = phrasing.phrases(section, task.goal, self.language)
        preferred = [t for t in templates if ("{order_id}" in t) == with_order] or templates
        if with_order:
            self.state.gave_order = True
        return phrasing.fill(self.rng.choice(preferred), self._values())

    def _move(self, move: str, **extra: object) -> str:
        self._step_move = self._step_move or move
        templates = phrasing.phrases("moves", move, self.language)
        return phrasing.fill(self.rng.choice(templates), self._values(**extra))

    def _say(self, text: str, first: bool = False) -> str:
        text = phrasing.decorate(text, self.persona, self.rng, self.language, first)
        return phrasing.add_typos(text, self.persona.typo_rate, self.rng, self.language)

    def _facts_seen(self, turn: TurnResult) -> bool:
        task = self._task()
        return bool(task.facts) and all(fact_present(alts, turn.reply) for alts in task.facts)

    def _task(self) -> Task:
        if self.task is None:
            raise RuntimeError("UserSimulator.reset(task) must be called before step()")
        return self.task
