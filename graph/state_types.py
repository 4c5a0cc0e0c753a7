"""The types the dialogue state is made of: its labels (routes, acts, emotions, tiers...) and the records it
holds (messages, entities, tasks, pending questions and actions, citations, handoff). graph/state.py puts them
together with the reducers."""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

Route = Literal["act", "retrieve", "handoff", "respond"]
"""The branch the router picks after the DST (graph/builder.py `route`)."""
DialogueAct = Literal["request", "confirm", "deny", "correction", "dissatisfied", "stray_confirm", "acknowledge",
                      "declined_offer", "clarify"]
"""How a message relates to the dialogue (graph/nodes/dst.py): a new request, a yes/no to a proposed write, a
correction, "it did not help", a "确认" with nothing pending, an "嗯/好的" that only acknowledges, a "no" to
kefu's own offer, or a message too ambiguous to act on (kefu asks which of two readings is meant)."""
FollowUp = Literal["then_what", "elapsed", "delay", "deadline", "short"]
"""How a short message continues the active topic ("然后呢", "都三天了", "怎么还没到", "明天再不到就不要了")."""
Offer = Literal["transfer", "yes_no", "choice"]
"""What kind of question kefu's reply left open for the customer to answer."""
EmotionLabel = Literal["neutral", "positive", "anxious", "angry"]
"""Taxonomy emotions."""
Language = Literal["zh", "en", "mixed"]
Tier = Literal["front", "composer", "llm", "agent"]
"""Who wrote a reply: the front tier's template, the grounded composer, the LLM, or a human agent."""
ActionStatus = Literal["proposed", "confirmed", "done", "refused", "cancelled", "not_found", "need_slot"]
HandoffReason = Literal["explicit_request", "high_anger", "repeated_question", "write_not_allowed",
                        "unresolved_turns", "pilot"]
"""Why a conversation goes to a human (the rules are in graph/escalation.py)."""
PilotArm = Literal["bot", "human"]
"""Which side of the category pilot serves a turn (graph/escalation.py `pilot_decision`)."""

class Message(TypedDict):
    """One line of the transcript."""

    role: Literal["user", "assistant", "agent", "system"]
    content: str
    turn: int
    seq: NotRequired[int]
    """Position in the whole conversation, from 1 (set by `append_messages`)."""


class Emotion(TypedDict):
    """Emotion of one customer message."""

    label: EmotionLabel
    intensity: float
    turn: int
    voice_arousal: NotRequired[float]
    """Voice messages only: the voice's arousal, fused into `intensity` (graph/voice.py)."""
    text_intensity: NotRequired[float]
    """Voice messages only: the intensity the words alone carried."""


class VoiceSignal(TypedDict, total=False):
    """What the voice of a voice message adds: its arousal and the text emotion it was fused with."""

    arousal: float
    """0.5 calm (as this shopper usually sounds), towards 1 raised: loud, fast, high-pitched."""
    text_emotion: dict[str, Any]
    emotion: dict[str, Any]
    """The fused emotion (the text's label, the intensity moved by the arousal)."""


class Entity(TypedDict):
    """An entity found in a message (taxonomy entity types), with character offsets."""

    type: str
    value: str
    text: str
    start: int
    end: int


class TaskFrame(TypedDict):
    """An interrupted task on the intent stack, with the slots it was using."""

    intent: str
    slots: dict[str, Any]


class Choice(TypedDict, total=False):
    """One quick reply of a clarifying question: the intent it stands for and how it is shown."""

    intent: str
    label: str


class PendingQuestion(TypedDict, total=False):
    """A question kefu's last reply asked (not a write proposal): a short yes/no or a choice answers it."""

    kind: Offer
    intent: str | None
    """For yes_no: the task a "yes" starts."""
    options: list[Choice]
    """For choice: the readings offered, in the order shown."""
    turn: int
    step: bool
    """For transfer: offered as the next step of a problem the customer reported on (a person checks it)."""


class PendingAction(TypedDict):
    """A write proposed to the customer and waiting for an explicit confirmation."""

    name: str
    args: dict[str, Any]
    summary: dict[str, Any]
    proposed_turn: int


class ActionRecord(TypedDict, total=False):
    """What an action did this turn, as reported in the turn's `actions` list."""

    name: str
    args: dict[str, Any]
    status: ActionStatus
    result: dict[str, Any]
    reason: str
    reason_en: str
    reason_code: str
    kind: Literal["read", "write"]
    missing: list[str]
    """Slots the action still needs (status need_slot), most important first."""
    choices: list[dict[str, Any]]
    """Candidates for the missing slot (the user's recent orders)."""
    unmatched_product: str
    """A product the customer named that is in none of their orders (said plainly in the reply)."""
    unmatched_phone: str
    """The last four digits of a phone that none of the customer's orders is delivered to."""
    phone_tail: str
    """The last four digits of the phone several of the customer's orders go to (they choose among them)."""


class Citation(TypedDict):
    policy_id: str
    version: int


class Passage(TypedDict, total=False):
    """A retrieved policy passage handed to the reply."""

    policy_id: str
    version: int
    title: str
    score: float
    text: str


class PilotDecision(TypedDict):
    """The category pilot's decision for the order a turn is about."""

    order_id: str
    category: str
    """The order's category that decided (a human-served one when the order has several)."""
    mode: str
    """That category's pilot mode: bot, human or split."""
    arm: PilotArm


class Handoff(TypedDict, total=False):
    active: bool
    reason: HandoffReason | None
    status: str | None
    """The ticket's status: queued, callback or active."""
    ticket_id: int | None
    agent: str | None
