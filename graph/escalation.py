"""Every rule that hands a conversation to a human, in one place. Thresholds come from settings.

Two moments decide, each at most once a turn:
- `before_answer` (the router, right after the DST): the customer asked for a human (a human word, or a
  yes to kefu's own transfer offer), or for an errand only a person runs (`errand`: resend, a return label,
  chase the courier, keep them posted, call back; added to an open callback ticket too), or a complaint
  arrives at or above `handoff_complaint_anger_intensity` — a person takes it without a bot reply;
- `after_answer` (the resolve node, once the reply is written): anger at or above
  `handoff_anger_intensity` on a complaint or a rising trajectory with no progress this turn, the same
  message a third time, kefu's next step on a reported problem offered and the customer reporting back
  again (`step_again`: the step is taken), a customer not satisfied with a write the shop refused, the
  same information asked for a third time since the last progress (`asked_too_often`; a question the
  customer asks after the second ask is answered from the policies without asking again, `ask_spent`), or
  `unresolved_handoff_turns` unresolved turns in a row.
Fraud accusations ("骗子", "黑店"), threats to go to the platform or a regulator ("平台介入", "12315") and
blocking ("拉黑") are complaint signals at the complaint threshold; abuse ("垃圾快递") is anger at the
after-answer threshold (`complaint_signal`, read by the NLU node). While a callback ticket is open kefu
keeps serving, and only an explicit ask reaches the handoff node again (it then says the ticket is open).
A question about how a kind of case is handled ("这种投诉你们怎么处理", `dialogue_acts.asks_procedure`) is
answered from the policies: anger alone opens no ticket for it.
The category pilot (`pilot`) is a routing rule beside these: a turn about an order (the order the
customer names or the task uses, or the order an action just used) whose category is served by humans
(mode `human`, or the human side of a `split`) hands off with reason "pilot" before the bot answers.
The reason goes into the state's `escalate`; the handoff node opens the ticket with it. The queue
(graph/handoff) then only decides queued vs callback by capacity, and declines an automatic trigger
with the same reason within `handoff_cooldown_s` of the last ticket's end (an explicit ask never waits).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Literal, get_args

from graph.dialogue_acts import asks_about_agents, asks_procedure
from graph.emotion import angry_at_least, emotion_trend
from graph.intents import ACTION_FOR_INTENT
from graph.person_tasks import person_task
from graph.ports import GraphSettings, PilotDesk
from graph.state import DialogueState, PilotArm, PilotDecision
from graph.state import HandoffReason as Reason

REASONS: tuple[str, ...] = get_args(Reason)
"""Every reason a conversation is handed to a human."""

# A human-agent guess without one of these words ("个人" as an invoice title) is not a real ask for a person.
HUMAN_WORDS = re.compile(r"人工|真人|活人|客服|主管|经理|转人|human|person|agent|someone", re.I)
_PUNCT = re.compile(r"[\s\W_]+", re.U)


THREAT_WORDS = re.compile(
    r"骗子|骗人|诈骗|欺诈|黑店|坑人|无良|12315|12345|消协|消费者协会|工商局?|市场监管|报警|起诉|律师|法院|"
    r"平台(?:介入|投诉|仲裁)|(?:找|向|去|到|跟|让)平台|投诉到|投诉你们|举报|曝光|拉黑|"
    r"\b(?:scam(?:mers?)?|fraud|rip-?off|report you|consumer (?:protection|association)|lawyer|sue|police|"
    r"chargeback|open a dispute|block(?:ed|ing)? you)\b",
    re.I,
)
"""Fraud accusations, threats to go to the platform, a regulator or the police, and blocking."""
ABUSE_WORDS = re.compile(r"垃圾|破服务|什么破|太差劲|差评|坑爹|气死|恶心|滚|\b(?:garbage|trash|worst|pathetic)\b", re.I)
"""Abuse of the shop or its courier."""
Signal = Literal["threat", "abuse"]
HAZARD_WORDS = re.compile(
    r"冒烟|冒火|着火|起火|火花|烧焦|焦味|糊味|烧起来|烧坏|爆炸|鼓包|漏电|触电|"
    r"(?:孩子|小孩|宝宝|儿子|女儿|狗|猫)[^，。,.!！？?没不]{0,6}(?:吃了|吞了|误食|咽)|误食|吞下|"
    r"\b(?:smok(?:ing|es)|smoke (?:came|comes|coming)|caught fire|on fire|sparks?|"
    r"burn(?:ing|t)? smell|smells? burnt|electric shock|swallow(?:ed)?|"
    r"exploded|overheat(?:ed|ing)|melt(?:ed|ing))\b",
    re.I,
)
"""A safety hazard: smoke, fire or a burning smell, a swollen battery, a shock, a child or pet that swallowed it."""


def hazard(text: str) -> bool:
    """The message tells of a safety hazard (the reply then says to stop using the item first)."""
    return bool(HAZARD_WORDS.search(text or ""))


def complaint_signal(text: str) -> Signal | None:
    """Whether the message threatens (fraud, platform, regulator, blocking) or abuses, or None."""
    if THREAT_WORDS.search(text or ""):
        return "threat"
    return "abuse" if ABUSE_WORDS.search(text or "") else None


def signal_anger(signal: Signal, settings: GraphSettings) -> float:
    """The anger a complaint signal stands for: a threat reaches the complaint threshold (a human takes
    it before any answer), abuse the after-answer one."""
    if signal == "threat":
        return float(settings.handoff_complaint_anger_intensity)
    return float(settings.handoff_anger_intensity)


ORDER_REFUSALS = {"order_not_found", "not_your_order", "invalid_order_id"}
"""Refusals that ask the customer for the order again."""


ASK_LIMIT = 3
"""The third ask for the same information (with no progress in between) hands the conversation off."""


def ask_spent(state: DialogueState, name: str = "order_id") -> bool:
    """`name` was asked for twice since the last progress and is still missing: asking once more hands the
    conversation off, so a question the customer asks meanwhile is answered without asking again."""
    missing = not (state.get("slots") or {}).get(name)
    return missing and int((state.get("asked") or {}).get(name, 0)) >= ASK_LIMIT - 1


def asked_too_often(state: DialogueState) -> bool:
    """This turn asked again for information already asked for twice since the last progress."""
    asked = state.get("asked") or {}
    return any(int(asked.get(name, 0)) >= ASK_LIMIT for name in asked_now(state))


ORDER_ASK_WORDS = re.compile(r"(?:提供|告诉我|发给我|发我)[^。；;，,]{0,6}订单号|"
                             r"\b(?:send|give|tell) (?:me|us) (?:the|your) order (?:number|id)\b", re.I)
"""A quoted rule that asks for the order ("请提供订单号联系客服核查") asks for it like kefu's own question."""


def asked_now(state: DialogueState) -> list[str]:
    """What this turn's reply asks the customer for: a missing slot, the order again after an unknown
    order id (or in a quoted rule, or a question no rule answers once the order was asked twice), or which of
    two readings (a clarifying question)."""
    names: list[str] = []
    if state.get("route") == "retrieve" and (ORDER_ASK_WORDS.search(str(state.get("reply") or ""))
                                             or (ask_spent(state) and not state.get("resolved", True))):
        names.append("order_id")  # a question asked instead of the order that no rule answers is stuck on it
    for action in state.get("actions") or []:
        if action.get("status") == "need_slot":
            names.append(str((action.get("missing") or ["order_id"])[0]))
        elif action.get("status") == "not_found" or action.get("reason_code") in ORDER_REFUSALS:
            names.append("order_id")
    if state.get("missing_slot"):
        names.append(str(state.get("missing_slot")))
    if state.get("dialogue_act") == "clarify":
        names.append("intent")
    return list(dict.fromkeys(names))


def step_again(state: DialogueState) -> bool:
    """kefu's next step on a reported problem (a person checks it) was offered, and the customer reports back
    or pushes again instead of answering: the step is taken, a ticket opened, rather than offered again."""
    return bool((state.get("pending_question") or {}).get("step") and (state.get("offer") or {}).get("step"))


def holding(state: DialogueState) -> bool:
    """A human holds the chat or is about to take it (an active or queued ticket): the bot stays quiet."""
    handoff = state.get("handoff") or {}
    return bool(handoff.get("active")) and handoff.get("status") != "callback"


def callback_open(state: DialogueState) -> bool:
    """A callback ticket is open: kefu keeps serving, and automatic triggers do not open another."""
    handoff = state.get("handoff") or {}
    return bool(handoff.get("active")) and handoff.get("status") == "callback"


def names_a_human(text: str) -> bool:
    """The message mentions a person to talk to (so a human_agent reading of it is believable)."""
    return bool(HUMAN_WORDS.search(text))


def before_answer(state: DialogueState, settings: GraphSettings) -> Reason | None:
    """Hand off before the bot answers: an explicit ask, or a furious complaint."""
    intent = state.get("intent", "other")
    accepted = (state.get("pending_question") or {}).get("kind") == "transfer"  # "好的" to kefu's own offer
    text = state.get("text", "")
    if intent == "human_agent" and (accepted or (names_a_human(text) and not asks_about_agents(text))):
        return "explicit_request"
    if errand(state):  # "那就补发吧", "send me the label": a person runs it, so a ticket says so (or gets it added)
        return "explicit_request"
    if callback_open(state):
        return None
    if intent == "complaint" and not asks_procedure(state.get("text", "")) and angry_at_least(
            state.get("emotion_history"), settings.handoff_complaint_anger_intensity):
        return "high_anger"
    return None


def errand(state: DialogueState) -> str | None:
    """The errand only a person runs that this turn asks for (graph/person_tasks.py), or None: none while a
    proposal waits for its yes, and chasing an unshipped order is kefu's own urge action."""
    task = person_task(state.get("text", ""))
    if not task or state.get("pending_action") or (task == "chase" and state.get("intent") == "urge_shipment"):
        return None
    return task


def _norm(text: str) -> str:
    return _PUNCT.sub("", text.lower())


def repeats(state: DialogueState) -> int:
    """How many times the customer has now sent this same request (confirmations and greetings don't count)."""
    if state.get("dialogue_act") not in ("request", "dissatisfied") or state.get("intent") == "greeting":
        return 0
    users = [_norm(m["content"]) for m in state.get("messages", []) if m["role"] == "user"]
    return users.count(users[-1]) if users and users[-1] else 0


def after_answer(state: DialogueState, unresolved: int, settings: GraphSettings) -> Reason | None:
    """Hand off after the bot's reply: see the module docstring for the rules, in this order."""
    if callback_open(state):
        return None
    history = state.get("emotion_history")
    angry = angry_at_least(history, settings.handoff_anger_intensity)
    progress = any(a.get("status") in ("done", "proposed", "need_slot") for a in state.get("actions") or [])
    asks_how = asks_procedure(state.get("text", ""))  # "这种投诉你们怎么处理": answered, not a ticket
    if angry and not progress and not asks_how and (state.get("intent") == "complaint"
                                                    or emotion_trend(history) == "rising"):
        return "high_anger"
    if repeats(state) >= 3:
        return "repeated_question"
    if state.get("last_refusal") and state.get("dialogue_act") == "dissatisfied":
        return "write_not_allowed"
    if asked_too_often(state) or step_again(state):
        return "unresolved_turns"
    if unresolved >= settings.unresolved_handoff_turns:
        return "unresolved_turns"
    return None


def shopper_bucket(user_id: str) -> float:
    """A shopper's fixed place in [0, 1) for split pilots: the same on every process, every day."""
    digest = hashlib.sha256(f"kefu-pilot:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def pilot_arm(setting: dict[str, Any], user_id: str) -> PilotArm:
    """The side serving `user_id` in a category with this pilot setting; a split's `share` is the bot's."""
    mode = setting.get("mode")
    if mode == "human":
        return "human"
    if mode == "split":
        return "bot" if shopper_bucket(user_id) < float(setting.get("share", 0.5)) else "human"
    return "bot"


def order_asked_about(state: DialogueState) -> str | None:
    """The order a turn is about: the slot's order when the message names one or the task is an order task."""
    order_id = (state.get("slots") or {}).get("order_id")
    names_one = any(e.get("type") == "order_id" for e in state.get("entities") or [])
    return str(order_id) if order_id and (names_one or state.get("intent") in ACTION_FOR_INTENT) else None


def order_used(state: DialogueState) -> str | None:
    """The order the last action of this turn used."""
    for record in reversed(state.get("actions") or []):
        order_id = (record.get("args") or {}).get("order_id") or (record.get("result") or {}).get("order_id")
        if order_id:
            return str(order_id)
    return None


def pilot_decision(pilot: PilotDesk, user_id: str, order_id: str) -> PilotDecision | None:
    """Which side serves a turn about this order: a human-served category of the order wins; otherwise the
    decision names a category the pilot sets itself (books in a books+snacks order), else the first item's."""
    categories = pilot.order_categories(user_id, order_id)
    if not categories:
        return None
    settings = pilot.pilot_settings()
    default, per_category = settings.get("default") or {"mode": "bot"}, settings.get("categories") or {}
    decisions = []
    for category in categories:
        setting = per_category.get(category) or default
        decisions.append(PilotDecision(order_id=order_id, category=category, mode=str(setting.get("mode", "bot")),
                                       arm=pilot_arm(setting, user_id)))
    piloted = [d for d in decisions if d["category"] in per_category]  # the pilot's own categories name the turn
    return next((d for d in decisions if d["arm"] == "human"), piloted[0] if piloted else decisions[0])


def pilot(state: DialogueState, desk: PilotDesk | None, user_id: str, order_id: str | None) -> dict[str, Any]:
    """The state update of the pilot rule for a turn about `order_id`: the decision, and "pilot" as the
    reason to hand off when humans serve it (an earlier reason of this turn is kept)."""
    if desk is None or not order_id:
        return {}
    decision = pilot_decision(desk, user_id, order_id)
    if decision is None:
        return {}
    update: dict[str, Any] = {"pilot": decision}
    if decision["arm"] == "human" and not state.get("escalate"):
        update.update(escalate="pilot", choices=[])  # a person takes it: nothing the bot offered stands
    return update


def pilot_after_action(state: DialogueState, desk: PilotDesk | None, user_id: str) -> dict[str, Any]:
    """The pilot rule for the order an action just used (e.g. the one order of a "where is my parcel"),
    unless the turn answered a proposal or the same order was already decided."""
    order_id = order_used(state)
    decided = state.get("pilot")
    same = bool(decided and decided["order_id"] == order_id)
    if state.get("dialogue_act") in ("confirm", "deny") or not order_id or same:
        return {}
    return pilot(state, desk, user_id, order_id)
