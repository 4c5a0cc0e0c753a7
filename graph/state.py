"""The typed dialogue state: the single source of truth of one conversation.

It is persisted by the checkpointer after every turn. Fields marked *per turn* are reset by
the preprocess node at the start of each turn; the others carry across turns (that is the DST).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired, TypedDict

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


def keep_recent_voices(old: list[dict[str, Any]] | None, new: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Reducer for voice_history: appended, the last few kept (graph/voice.py HISTORY)."""
    from graph.voice import HISTORY

    return [*(old or []), *(new or [])][-HISTORY:]


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
