"""The typed dialogue state: the single source of truth of one conversation.

It is persisted by the checkpointer after every turn. Fields marked *per turn* are reset by
the preprocess node at the start of each turn; the others carry across turns (that is the DST).
"""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from graph.state_types import (  # noqa: F401  (re-exported: graph.state is where the types are imported from)
    ActionRecord,
    ActionStatus,
    Choice,
    Citation,
    DialogueAct,
    Emotion,
    EmotionLabel,
    Entity,
    FollowUp,
    Handoff,
    HandoffReason,
    Language,
    Message,
    Offer,
    Passage,
    PendingAction,
    PendingQuestion,
    PilotArm,
    PilotDecision,
    Route,
    TaskFrame,
    Tier,
    VoiceSignal,
)


def keep_recent_voices(old: list[dict[str, Any]] | None, new: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Reducer for voice_history: appended, the last few kept (graph/voice.py HISTORY)."""
    from graph.voice import HISTORY

    return [*(old or []), *(new or [])][-HISTORY:]


TRANSCRIPT_WINDOW = 40
"""Messages the state keeps. Each checkpoint holds the state, so an unbounded transcript made disk grow with
the square of a conversation's length; the whole transcript is kept by the app (app/transcripts.py)."""
EMOTION_WINDOW = 100
"""Emotion entries the state keeps (the trend and the handoff summary read the recent ones)."""


def append_messages(old: list[Message] | None, new: list[Message] | None) -> list[Message]:
    """Reducer for the transcript: number the new messages (`seq`, continuing the conversation's count,
    also for states saved before numbering) and keep the last TRANSCRIPT_WINDOW."""
    kept = list(old or [])
    last = int(kept[-1].get("seq") or len(kept)) if kept else 0
    added: list[Message] = [{**m, "seq": last + i} for i, m in enumerate(new or [], start=1)]
    return (kept + added)[-TRANSCRIPT_WINDOW:]


def append_emotions(old: list[Emotion] | None, new: list[Emotion] | None) -> list[Emotion]:
    """Reducer for the emotion trajectory: append, keep the last EMOTION_WINDOW."""
    return (list(old or []) + list(new or []))[-EMOTION_WINDOW:]


def merge_dicts(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer for slots: new values replace old ones; a value of None removes the slot."""
    out = dict(old or {})
    for key, value in (new or {}).items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


class DialogueState(TypedDict, total=False):
    """State of one conversation (DST as explicit graph state)."""

    # identity (injected from the session, never taken from the customer's words)
    session_id: str
    user_id: str

    # transcript and counters
    messages: Annotated[list[Message], append_messages]
    """The last TRANSCRIPT_WINDOW messages of the transcript; nodes append."""
    turn: int
    """Number of customer turns so far."""
    language: Language
    """Language of the last customer message."""

    # understanding
    text: str
    """*Per turn*: the normalised customer message."""
    intent: str
    """*Per turn*: intent of the last message (taxonomy intents)."""
    confidence: float
    """*Per turn*: calibrated confidence of `intent`."""
    entities: list[Entity]
    """*Per turn*: entities of the last message."""
    dialogue_act: DialogueAct
    """*Per turn*: how the message relates to the dialogue (a confirmation, a correction, a request...)."""
    candidates: list[dict[str, Any]]
    """*Per turn*: the NLU's best intent readings, best first (`{"intent", "confidence"}`); may be empty."""
    ask: bool
    """*Per turn*: the NLU found the reading too uncertain to act on (kefu may ask which one is meant)."""
    follow_up: FollowUp | None
    """*Per turn*: the message continues the active topic (graph/continuity.py)."""
    filled: list[str]
    """*Per turn*: slots the message gave a value to."""

    # DST
    active_intent: str | None
    """The task being worked on (survives small talk and interruptions)."""
    intent_stack: list[TaskFrame]
    """Interrupted tasks to resume, innermost last."""
    slots: Annotated[dict[str, Any], merge_dicts]
    """Filled slots: order_id, tracking_no, phone, address, amount, quantity, product, sku_attr, ..."""
    pending_action: PendingAction | None
    """A proposed write waiting for the customer's confirmation."""
    awaiting_slot: str | None
    """The slot the last reply asked for; the next message may just supply it."""
    offered_orders: list[str]
    """Order ids last offered as choices, so "第2个" can pick one."""
    last_refusal: str | None
    """reason_code of the last write the shop refused (cleared by a successful action)."""
    pending_question: PendingQuestion | None
    """A question the last reply asked (transfer offer, yes/no, which of two): a short answer answers it."""
    asked: dict[str, int]
    """How often each piece of information (order_id, phone, intent...) was asked for since the last
    progress; the second ask is rephrased, the third hands the conversation to a human."""
    unresolved_turns: int
    """Consecutive turns that did not move the customer forward."""
    emotion_history: Annotated[list[Emotion], append_emotions]
    """Emotion trajectory, one entry per customer message (the last EMOTION_WINDOW)."""
    voice: dict[str, Any] | None
    """*Per turn input*: prosody of the message when it came as a voice message (None when typed)."""
    voice_history: Annotated[list[dict[str, Any]], keep_recent_voices]
    """Prosody of the shopper's earlier voice messages (the baseline that arousal is measured against)."""
    voice_signal: VoiceSignal | None
    """*Per turn*: what the voice added to the emotion of this message."""
    handoff: Handoff
    """Whether a human holds (or is asked to take) the conversation."""

    # this turn's outcome
    guarded: bool
    """*Per turn*: the message was empty once normalised; the guard reply answers it without NLU."""
    truncated: bool
    """*Per turn*: the message was longer than `max_message_chars` and was cut (the reply says so)."""
    relayed: bool
    """*Per turn*: the message went to the human who holds the chat (or ended the wait for one); the
    bot does not answer it."""
    route: Route
    """*Per turn*: the branch the router chose."""
    actions: list[ActionRecord]
    """*Per turn*: actions run or proposed this turn."""
    query: str
    """*Per turn*: the standalone retrieval query rewritten from the turn, history and slots."""
    passages: list[Passage]
    """*Per turn*: retrieved policy passages."""
    order_facts: str
    """*Per turn*: the order in play as words (items, category, state, payment) that may settle which case
    of a policy applies ("" when no order is in play)."""
    citations: list[Citation]
    """*Per turn*: policies the reply relies on."""
    missing_slot: str | None
    """*Per turn*: the slot the reply asks for."""
    choices: list[dict[str, Any]]
    """*Per turn*: options offered to the customer (their recent orders, or the two readings of a
    clarifying question as `{"intent", "label"}` quick replies)."""
    offer: PendingQuestion | None
    """*Per turn*: the question the reply leaves open (becomes `pending_question` when the turn ends)."""
    reply: str
    """*Per turn*: the reply text."""
    tier: Tier
    """*Per turn*: who wrote the reply."""
    resolved: bool
    """*Per turn*: whether the turn moved the customer forward (see graph/nodes/resolve.py)."""
    escalate: HandoffReason | None
    """*Per turn*: why this turn hands the conversation to a human, if it does (graph/escalation.py)."""
    pilot: PilotDecision | None
    """*Per turn*: the category pilot's decision when the turn is about an order (None otherwise)."""
    timings: dict[str, float]
    """*Per turn*: milliseconds spent per node."""


PER_TURN_DEFAULTS: dict[str, Any] = {
    "intent": "other",
    "confidence": 0.0,
    "entities": [],
    "dialogue_act": "request",
    "candidates": [],
    "ask": False,
    "follow_up": None,
    "filled": [],
    "offer": None,
    "guarded": False,
    "truncated": False,
    "relayed": False,
    "route": "respond",
    "actions": [],
    "query": "",
    "passages": [],
    "order_facts": "",
    "citations": [],
    "missing_slot": None,
    "choices": [],
    "reply": "",
    "voice_signal": None,
    "tier": "composer",
    "resolved": True,
    "escalate": None,
    "pilot": None,
    "timings": {},
}
