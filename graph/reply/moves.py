"""Conversation moves: what keeps a reply from looping. Wording in the `move` section of zh.yaml/en.yaml.

- `content_of(state)`: what the reply will do (answer, ask, refuse, acknowledge, greet), so the tone
  opening fits it (graph/reply/tone.py);
- `dialogue_text(state, language)`: replies to kefu's own questions (an "嗯" that only acknowledges, a "no"
  to its offer) and the clarifying question when the NLU is unsure (two readings as quick replies);
- `finish(state, draft, language, opening)`: never the same reply twice in a row (the same answer is said
  to be the same, briefly, and the conversation moves on: the handoff offer, or other things to ask), and
  the question the reply leaves open (`offer`: transfer, choice) for the next message to answer.
"""

from __future__ import annotations

import re
from typing import Any

from graph import continuity, details, escalation
from graph.intents import ACTION_FOR_INTENT, display_name
from graph.reply import noted, tone, wording
from graph.reply.next_step import push_step, with_time
from graph.reply.tone import Content
from graph.state import Choice, DialogueState, PendingQuestion

_SPACE = re.compile(r"[\s\W_]+", re.U)
_THANKS = re.compile(r"谢|thank|thx|感谢", re.I)
_BYE = re.compile(r"再见|拜拜|\bbye\b|\btake care\b|\byou too\b|\bsame to you\b|"
                  r"^(?:no,? )?that(?:'?s| was) (?:it|all)\b", re.I)


def content_of(state: DialogueState) -> Content:
    """What this turn's reply does, known before it is written (the tone opening is chosen from it)."""
    act = state.get("dialogue_act")
    if act in ("stray_confirm", "acknowledge", "declined_offer"):
        return "ack"
    if act == "clarify":
        return "ask"
    route = state.get("route")
    if route == "retrieve":
        return "rule"
    if route == "act" and state.get("actions"):
        status = state["actions"][-1].get("status")
        return {"need_slot": "ask", "refused": "refusal", "not_found": "refusal",
                "cancelled": "ack"}.get(str(status), "answer")  # type: ignore[return-value]
    if state.get("intent") == "greeting":
        return "greeting"
    return "ask"  # not understood: the reply asks what the customer needs


def _names(options: list[dict[str, Any]]) -> dict[str, str]:
    labels = [str(o.get("label") or o.get("intent")) for o in options]
    return {"first": labels[0] if labels else "", "second": labels[1] if len(labels) > 1 else ""}


def dialogue_text(state: DialogueState, language: str) -> str | None:
    """The reply to an acknowledgement, a declined offer or a clarifying question; None for other acts."""
    act = state.get("dialogue_act")
    if act == "acknowledge":
        if details.gives_details(state.get("text", "")):
            return _details_noted(state, language)
        if _BYE.search(state.get("text", "")):
            return wording.text("bye", language)
        if _THANKS.search(state.get("text", "")):
            return wording.text("thanks", language)
        key = "ack_callback" if escalation.callback_open(state) else "ack"
        if key == "ack" and not continuity.only_acknowledges(state.get("text", "")):
            key = "ack_noted"  # "盒子是完好的", "加钱也行": a fact or a wish, not "OK, anything else?"
        return wording.phrase("move", key, language)
    if act == "declined_offer":  # the order asked for twice already: not asked a third time here
        return wording.phrase("move", "declined_offer_spent" if escalation.ask_spent(state) else "declined_offer",
                              language)
    if act == "request" and state.get("intent") == "other" and escalation.callback_open(state):
        return noted.noted_statement(state, language) or wording.phrase("move", "not_understood_callback", language)
    if act == "dissatisfied" and state.get("intent") in ("other", "greeting", "human_agent"):
        key = "not_helpful_callback" if escalation.callback_open(state) else "not_helpful"
        return wording.phrase("move", key, language)
    if act == "clarify":
        key = "clarify_again" if (state.get("asked") or {}).get("intent") else "clarify"
        return wording.phrase("move", key, language, **_names(list(state.get("choices") or [])))
    return None


def details_ask(state: DialogueState) -> str | None:
    """The slot a reply to identity details asks for again: the order, when it was asked and is still
    unknown (counted like any ask, so a third one goes to a human)."""
    if state.get("dialogue_act") != "acknowledge" or escalation.callback_open(state):
        return None
    if not details.gives_details(state.get("text", "")):
        return None
    asked_order = (state.get("asked") or {}).get("order_id") and not (state.get("slots") or {}).get("order_id")
    return "order_id" if state.get("active_intent") in ACTION_FOR_INTENT and asked_order else None


def _details_noted(state: DialogueState, language: str) -> str:
    """Identity details taken note of, and the step the conversation is at: the order still asked for, the
    task under way, or what kefu can do (the open callback ticket gets them for the agent)."""
    active = state.get("active_intent")
    if escalation.callback_open(state):
        key = "details_callback"
    elif details_ask(state):
        key = "details_order"
    else:
        key = "details_task" if active in ACTION_FOR_INTENT else "details_noted"
    return wording.phrase("move", key, language, task=display_name(active, language) or "")


def previous_reply(state: DialogueState) -> str:
    """kefu's last reply before this turn ('' when none)."""
    turn = state.get("turn", 0)
    for message in reversed(state.get("messages") or []):
        if message.get("role") == "assistant" and message.get("turn") != turn:
            return str(message.get("content") or "")
    return ""


def _norm(text: str) -> str:
    return _SPACE.sub("", (text or "").lower())


_PIECE = re.compile(r"[^。！？!?；;：:\n]+")
_FRAME = re.compile(r"规定如下|^根据《|随时问我|anything else|according to our policy", re.I)
SAME_SHARE = 0.8
"""A reply whose substantive sentences are this much in the last reply says nothing new."""


def _pieces(text: str) -> list[str]:
    """The substantive sentences of a reply (headings, closings and fragments under 6 characters left out)."""
    return [_norm(p) for p in _PIECE.findall(text) if len(_norm(p)) >= 6 and not _FRAME.search(p)]


def said_before(state: DialogueState, text: str, last: int = 4) -> bool:
    """Most substantive sentences of `text` are in kefu's last few replies (the facts were given already)."""
    turn = state.get("turn", 0)
    earlier = [m for m in state.get("messages") or [] if m.get("role") == "assistant" and m.get("turn") != turn]
    before = _norm("".join(str(m.get("content") or "") for m in earlier[-last:]))
    pieces = _pieces(text)
    return bool(before and pieces) and sum(p in before for p in pieces) >= SAME_SHARE * len(pieces)


def repeats_previous(state: DialogueState, text: str, opening: str = "") -> bool:
    """The reply says what the last one said (its tone opening, heading and closing aside)."""
    body = text[len(opening):] if opening and text.startswith(opening) else text
    before, now = _norm(previous_reply(state)), _norm(body)
    if not now or not before:
        return False
    if before == now or before.endswith(now):
        return True
    pieces = _pieces(body)
    return bool(pieces) and sum(p in before for p in pieces) >= SAME_SHARE * len(pieces)


def _offered(state: DialogueState, draft: dict[str, Any]) -> PendingQuestion | None:
    """The question this reply leaves open for a short answer."""
    turn = int(state.get("turn", 0))
    if state.get("dialogue_act") in ("declined_offer", "acknowledge", "stray_confirm"):
        return None  # "不用了", "行": the customer closed what was open; nothing is asked again
    if state.get("dialogue_act") == "clarify":
        options: list[Choice] = [{"intent": str(c.get("intent")), "label": str(c.get("label") or c.get("intent"))}
                                 for c in state.get("choices") or []]
        return {"kind": "choice", "options": options, "turn": turn}
    handed_over = bool((state.get("handoff") or {}).get("active"))
    unknown = state.get("route") == "retrieve" and not draft.get("grounded")
    not_understood = (state.get("route") == "respond" and not state.get("guarded")
                      and (state.get("intent") == "other" or state.get("dialogue_act") == "dissatisfied"))
    if (unknown or not_understood) and not handed_over:
        return {"kind": "transfer", "turn": turn}
    return None


_TERM_ZH = re.compile(r"[\u3400-\u9fff]{2,}")
_TERM_EN = re.compile(r"[a-z]{4,}", re.I)
_ASIDE = re.compile(r"^(?:那么?|还有|另外|如果是|要是)|(?:的话|呢|吗|么|呀|啊|了)+$")
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])|(?<=[.])\s+")
"""Where a sentence ends: after Chinese or shared end marks, or after a full stop followed by a space."""


_CJK = re.compile(r"[\u3400-\u9fff]")
_HOW_MUCH = re.compile(r"多久|几天|多长|多少|什么时候|\bhow (?:long|much|many)\b|\bwhen\b", re.I)
_DIGIT = re.compile(r"\d")
_FUNCTION_CHARS = set("那吗呢了的是我你您要能可以吧啊呀么还就也都在有没不这个们会想")


def _terms(question: str) -> set[str]:
    """The words of a question to find in a reply: its English words, and the two-character pieces of its
    Chinese runs that hold no function character ("多久能到账" -> 多久, 到账)."""
    terms = {t.lower() for t in _TERM_EN.findall(question)}
    for run in (_ASIDE.sub("", t) for t in _TERM_ZH.findall(question)):
        terms.update(run[i:i + 2] for i in range(len(run) - 1) if not _FUNCTION_CHARS & set(run[i:i + 2]))
    return terms


def quote_for(text: str, question: str) -> str:
    """The sentences of `text` that share the most words with `question` (at most two; '' when none does)."""
    terms = _terms(question)
    figure = 0.5 if _HOW_MUCH.search(question) else 0.0  # "多久能到账": the sentence with the number answers it
    scored = [(sum(t in s.lower() for t in terms) + (figure if _DIGIT.search(s) else 0.0), s.strip())
              for s in _SENTENCE_END.split(text) if s.strip()]
    best = max((score for score, _ in scored), default=0.0)
    picked = [s for score, s in scored if best >= 1 and score == best]
    return ("" if _CJK.search(text) else " ").join(picked[:2])


_STATUS_CHECK = ("elapsed", "delay", "short", "deadline")


def _same_key(state: DialogueState) -> str:
    """"Nothing has changed" only when the customer checks on an order's progress and the order's state is
    what the last reply showed; a new question or a push gets an honest "that is all I can find", not a
    claim that the last reply had answered it."""
    if state.get("route") == "act" and state.get("follow_up") in _STATUS_CHECK:
        return "same_again"
    return "same_no_more"


def same_again(state: DialogueState, language: str, text: str = "") -> tuple[str, PendingQuestion | None]:
    """Said instead of repeating the last reply word for word: it is the same (the part that answers this
    message, when one does), and what can happen next."""
    message = state.get("text", "")
    if _BYE.search(message) or _THANKS.search(message):  # a goodbye is met with a goodbye, nothing offered
        first, second = ("bye", "thanks") if _BYE.search(message) else ("thanks", "bye")
        closing = wording.text(first, language)
        return (closing if not repeats_previous(state, closing) else wording.text(second, language)), None
    quote = quote_for(text, message) if state.get("route") == "retrieve" else ""
    parts = [wording.phrase("move", "same_quote", language, quote=quote) if quote
             else wording.phrase("move", _same_key(state), language)]
    handed_over = bool((state.get("handoff") or {}).get("active"))
    offered_before = (state.get("pending_question") or {}).get("kind") == "transfer"
    offer: PendingQuestion | None = None
    if handed_over and not quote and _same_key(state) == "same_no_more":
        parts.append(wording.phrase("move", "offer_handed", language))
    elif handed_over or offered_before or state.get("dialogue_act") == "declined_offer":
        parts.append(wording.phrase("move", "offer_other", language))
    else:
        parts.append(wording.phrase("move", "offer_transfer", language))
        offer = {"kind": "transfer", "turn": int(state.get("turn", 0))}
    joiner = "" if wording.reply_language(language) == "zh" else " "
    return joiner.join(parts), offer


def _order_ask(state: DialogueState, draft: dict[str, Any], language: str) -> dict[str, Any]:
    """A policy answer that asks for the order ("如需我直接为您办理，请告诉我订单号"): the ask counts (`asks`);
    once the order is known or was asked for already, it is left out instead of asked again."""
    ask = wording.phrase("policy", "next_step", language)
    text = str(draft.get("text", ""))
    if state.get("route") != "retrieve" or ask not in text:
        return draft
    slots = state.get("slots") or {}
    if (slots.get("order_id") or slots.get("tracking_no") or (state.get("asked") or {}).get("order_id")
            or state.get("awaiting_slot") == "order_id"):
        return {**draft, "text": text.replace(ask, "", 1).replace("  ", " ").strip()}
    return {**draft, "asks": "order_id"}


def finish(state: DialogueState, draft: dict[str, Any], language: str, opening: str = "",
           settings: Any = None) -> dict[str, Any]:
    """The draft with the open question it leaves (`offer`), never the last reply again word for word; a
    push that would get nothing new gets the next step (`push_step`)."""
    body = str(draft.get("text", ""))
    step = push_step(state, draft, language, settings,
                     repeated=repeats_previous(state, body, opening) or said_before(state, body))
    step_offered = bool((state.get("pending_question") or {}).get("step"))  # reported back again: taken up
    if step and (step_offered or not repeats_previous(state, step["text"])):  # else the same step: same_again
        plain = tone.opening(state.get("emotion_history"), language, content="ack") if opening else ""
        return {**step, "text": tone.with_opening(plain, step["text"], language)}
    return with_time(state, _finish(state, draft, language, opening), language, settings)


def _finish(state: DialogueState, draft: dict[str, Any], language: str, opening: str) -> dict[str, Any]:
    if state.get("route") == "retrieve" and not draft.get("grounded"):  # no promise before "I don't know"
        plain = tone.opening(state.get("emotion_history"), language, content="refusal", intent=state.get("intent"))
        body = str(draft.get("text", ""))
        body = body[len(opening):].lstrip() if body.startswith(opening) else body
        if escalation.callback_open(state):
            body = wording.phrase("move", "unknown_callback", language)
        draft, opening = {**draft, "text": tone.with_opening(plain, body, language)}, plain
    draft = _order_ask(state, draft, language)
    offer = draft["offer"] if "offer" in draft else _offered(state, draft)
    if not state.get("guarded") and repeats_previous(state, str(draft.get("text", "")), opening):
        if content_of(state) == "ack":  # a second "嗯": a different short acknowledgement
            again = wording.phrase("move", "ack_again", language)
            text = again if not repeats_previous(state, again) else wording.phrase("move", "ack", language)
            return {**draft, "text": text, "offer": None}
        if state.get("intent") == "other" and state.get("route") == "respond":  # not understood, twice
            return {**draft, "text": wording.phrase("move", "not_understood_again", language),
                    "offer": {"kind": "transfer", "turn": int(state.get("turn", 0))}}
        text, offer = same_again(state, language, str(draft.get("text", "")))
        plain = tone.opening(state.get("emotion_history"), language, content="ack") if opening else ""
        return {**draft, "text": tone.with_opening(plain, text, language), "offer": offer, "final": True}
    return {**draft, "offer": offer}
