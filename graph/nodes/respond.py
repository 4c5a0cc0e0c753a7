"""Respond: write the reply — front-tier template, grounded composer, or the LLM with a grounding check.

Every sentence comes from the reply package (graph/reply/): action replies from `reply.actions`,
policy answers from `reply.policy`, small talk from the `text` wording; the tone opening is put in
front once, by `reply.tone`, before any LLM rewrite.
"""

from __future__ import annotations

import re
import time
from typing import Any

from langgraph.runtime import Runtime

from graph import continuity, escalation, relevance
from graph.context import TurnContext
from graph.emotion import current_emotion, emotion_trend
from graph.intents import ACTION_FOR_INTENT, FRONT_TIER_INTENTS, READ_ACTIONS, TASK_INTENTS
from graph.nodes.act import claims_defect
from graph.reply import actions as action_replies
from graph.reply import moves, noted, tone, wording
from graph.reply.tone import Content
from graph.state import DialogueState, PendingQuestion

_THANKS = re.compile(r"谢|thank|thx|感谢", re.I)
_BYE = re.compile(r"再见|拜拜|bye|没有了|没事了", re.I)
_WRONG_ITEM = re.compile(r"错发|发错|不是我(?:买|要|订)的|wrong (?:item|size|colou?r)", re.I)
NEXT_STEP_INTENTS = ("delivery_problem", "complaint")  # problems kefu has a next step for (return, exchange, human)


def _dialogue_reply(state: DialogueState, language: str) -> str:
    if state.get("guarded"):
        return wording.text("empty", language)
    if state.get("dialogue_act") == "stray_confirm":  # "行 办吧" with a person on it: they do it, and say so
        handed = (state.get("handoff") or {}).get("active")
        return wording.phrase("move", "go_ahead_handed", language) if handed \
            else wording.text("stray_confirm", language)
    move = moves.dialogue_text(state, language)
    if move:
        return move
    if state.get("intent") == "greeting":
        text = state.get("text", "")
        key = "thanks" if _THANKS.search(text) else "bye" if _BYE.search(text) else "greeting"
        return wording.text(key, language)
    return noted.noted_statement(state, language) or wording.text("other", language)


def _llm_context(state: DialogueState, language: str) -> dict[str, Any]:
    history = state.get("emotion_history")
    return {
        "question": state.get("text", ""), "language": language, "emotion": current_emotion(history),
        "intent": state.get("intent"), "passages": list(state.get("passages") or []),
        "action_results": list(state.get("actions") or []), "dst_summary": dict(state.get("slots") or {}),
        "history": list(state.get("messages", []))[-6:], "trend": emotion_trend(history),
    }


def _policy_reply(state: DialogueState, ctx: TurnContext, language: str, opening: str) -> dict[str, Any]:
    """The policy answer; an order topic adds the offer to act on the customer's orders, and a message NLU
    could not place that the policies do not answer gets the `other` reply (what kefu can do, a human)."""
    from graph.reply import policy as rules
    from graph.reply.policy import MIN_PASSAGE_SCORE, answer_policy_question, offer_to_act

    policies, history, intent = ctx.policies, state.get("emotion_history"), state.get("intent")
    unplaced = intent not in TASK_INTENTS
    retrieved = [dict(p) for p in state.get("passages") or []]
    message = state.get("text", "")
    other_min = rules.OTHER_MIN_SCORE if continuity.asks_something(message) else rules.OTHER_STATEMENT_MIN_SCORE
    passages = relevance.relevant_passages(retrieved, intent, message)
    quotable = relevance.above(retrieved, other_min if unplaced else MIN_PASSAGE_SCORE)
    if quotable and not relevance.relevant_passages(quotable, intent, message):  # only rules on other topics
        return _off_topic_reply(state, language, opening)

    def compose(chosen: list[dict[str, Any]]) -> dict[str, Any]:
        return answer_policy_question(
            state.get("query") or state.get("text", ""), chosen, language=language,
            emotion=current_emotion(history), intent=intent, trend=emotion_trend(history),
            opening=opening, cache=ctx.answer_cache, current_versions=policies.versions_of, settings=ctx.settings,
            context={**_llm_context(state, language), "history": [], "slots": dict(state.get("slots") or {})},
            expand=lambda pid, version: policies.get(pid, version)["body"], condition=state.get("order_facts") or "",
            **({"min_score": other_min} if unplaced else {}),
        )

    answer = compose(passages)
    if not answer["grounded"] and len(quotable) > len(passages) and passages:  # the on-topic rule alone says
        answer = compose(quotable)  # nothing to it: its neighbours in the ranking may (the composer picks)
    text = answer["text"]
    if unplaced and not answer["grounded"]:
        unplaced_text = noted.noted_statement(state, language) or wording.text("other", language)
        text = tone.with_opening(opening, unplaced_text, language)
    elif offer := offer_to_act(intent, list(state.get("choices") or []), language):
        rules_words = wording.section("policy", language)
        closing, ask = str(rules_words.get("closing") or ""), str(rules_words.get("next_step") or "")
        text = text.replace(ask, "").replace("  ", " ") if ask else text  # the offer names the orders instead
        text = text.removesuffix(closing).rstrip() + ("" if wording.reply_language(language) == "zh" else " ") + offer
    return {"text": text, "tier": answer.get("tier", "composer"), "grounded": bool(answer["grounded"]),
            "citations": list(answer.get("citations") or []), "final": True}


def _off_topic_reply(state: DialogueState, language: str, opening: str) -> dict[str, Any]:
    """No retrieved rule is on this turn's topic: the order to act on when the topic has an action (the one
    thing needed) and the NLU is sure of the topic, otherwise plainly what kefu can do and the transfer offer;
    never an unrelated rule, nor a bare "which order?" for a task the message may not be about."""
    from graph.reply.policy import offer_to_act

    offer = offer_to_act(state.get("intent"), list(state.get("choices") or []), language)
    unsure = bool(offer and state.get("ask"))  # the NLU's guess is unsure: its orders are not offered
    offer = "" if unsure else offer
    joiner = "" if wording.reply_language(language) == "zh" else " "
    transfer: PendingQuestion | None = None
    content: Content = "ask" if offer else "refusal" if continuity.asks_something(state.get("text", "")) else "ack"
    opening = tone.opening(state.get("emotion_history"), language, content=content, intent=state.get("intent")) \
        if opening else ""  # no "here is the answer" before a reply that has none
    if offer:
        text = wording.phrase("move", "off_topic_order", language) + joiner + offer
    elif escalation.callback_open(state):
        text = wording.phrase("move", "unknown_callback", language)
    elif continuity.asks_something(state.get("text", "")):
        text = wording.phrase("move", "off_topic", language)
        transfer = {"kind": "transfer", "turn": int(state.get("turn", 0))}
    elif step := _next_step(state, language):  # a problem told ("打开发霉了"): what kefu can do about it
        text, transfer = step
    else:  # a fact or a feeling ("今天生日用的"): noted, and what kefu can do next
        text = wording.phrase("move", "ack_noted", language)
    return {"text": tone.with_opening(opening, text, language), "tier": "composer", "grounded": True,
            "citations": [], "final": True, "offer": transfer, "no_offer": unsure}


def _next_step(state: DialogueState, language: str) -> tuple[str, PendingQuestion | None] | None:
    """The next step kefu's actions offer on a problem no rule was found for: a damaged, spoilt or wrong item
    gets the return/exchange for its order (asked for when unknown) or the human, a parcel not received a
    person who checks with the carrier; a complaint what kefu can
    do now and the human (no "reply yes": a complaint may open a ticket this very turn). None for other topics
    and while a callback ticket is open."""
    intent = state.get("intent")
    if intent not in NEXT_STEP_INTENTS or escalation.callback_open(state):
        return None
    slots = state.get("slots") or {}
    order_id, product = slots.get("order_id"), slots.get("product")
    if intent == "complaint":
        return wording.phrase("move", "next_step_complaint", language), None
    if not (claims_defect(state.get("text", "")) or _WRONG_ITEM.search(state.get("text", ""))):
        return wording.phrase("move", "next_step_missing", language), None  # not received, lost: the carrier
    if order_id:
        return wording.phrase("move", "next_step_problem_order", language, order_id=order_id), None
    if product:  # "买的牛肉干打开发霉了": the item is known, its order is asked for
        return wording.phrase("move", "next_step_problem_product", language, product=product), None
    return wording.phrase("move", "next_step_problem", language), None


def _draft(state: DialogueState, ctx: TurnContext, language: str, opening: str) -> dict[str, Any]:
    """The reply and who wrote it (front tier for simple reads and greetings); `final` when no LLM may
    rewrite it (the policy answer had its chance inside `answer_policy_question`)."""
    route, actions = state.get("route"), list(state.get("actions") or [])
    if route == "retrieve":
        return _policy_reply(state, ctx, language, opening)
    if route == "act" and actions:
        record = actions[-1]
        text = action_replies.action_reply(record, state.get("intent"), language, list(state.get("choices") or []),
                                           asked=dict(state.get("asked") or {}))
        simple = (state.get("intent") in FRONT_TIER_INTENTS and record.get("name") in READ_ACTIONS
                  and record.get("status") == "done")
        return {"text": tone.with_opening(opening, text, language), "tier": "front" if simple else "composer",
                "grounded": True, "citations": []}
    guarded = bool(state.get("guarded"))
    simple = state.get("intent") == "greeting" and not guarded
    return {"text": tone.with_opening(opening, _dialogue_reply(state, language), language),
            "tier": "front" if simple else "composer", "grounded": guarded or state.get("intent") != "other",
            "citations": [], "final": guarded, "asks": moves.details_ask(state)}


def _stream(state: DialogueState, draft: dict[str, Any], runtime: Runtime[TurnContext], language: str) -> None:
    """Let the LLM (when configured) rewrite the draft, forwarding grounded pieces as they come."""
    from graph.generation import stream_reply

    writer = runtime.stream_writer
    for event in stream_reply(settings=runtime.context.settings, draft=draft["text"],
                              context=_llm_context(state, language)):
        if event["event"] == "delta":
            writer({"chunk": event["text"]})
        elif event["event"] == "reset":
            writer({"reset": True})
        elif event["event"] == "done":
            draft.update(text=event["text"], tier=event.get("tier", draft["tier"]))


def _safety_first(text: str, language: str) -> str:
    """The reply with the advice to stop using the item put first (after a tone opening, which stays first)."""
    advice = wording.phrase("move", "safety_first", language)
    if advice in text:
        return text
    joiner = "" if wording.reply_language(language) == "zh" else " "
    return advice + joiner + text


def respond(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    language = state.get("language") or "zh"
    guarded = bool(state.get("guarded"))
    opening = "" if guarded else tone.opening(state.get("emotion_history"), language,
                                              content=moves.content_of(state), intent=state.get("intent"))
    if state.get("truncated"):
        opening = tone.with_opening(opening, wording.text("truncated", language), language)
    draft = moves.finish(state, _draft(state, runtime.context, language, opening), language, opening,
                         settings=runtime.context.settings)
    if not guarded and escalation.hazard(state.get("text", "")):  # a hazard: stop using it, before anything else
        if state.get("intent") == "other" and not draft.get("citations"):  # not "not understood": a person
            draft.update(text=wording.phrase("move", "off_topic", language),
                         offer={"kind": "transfer", "turn": int(state.get("turn", 0))})
        draft["text"] = _safety_first(str(draft["text"]), language)
    if draft["tier"] == "front" or draft.get("final"):
        runtime.stream_writer({"chunk": draft["text"]})
    else:
        _stream(state, draft, runtime, language)
    timings = dict(state.get("timings") or {})
    timings["respond_ms"] = (time.perf_counter() - started) * 1000
    asks = {"missing_slot": draft["asks"]} if draft.get("asks") else {}
    if asks and state.get("active_intent") in ACTION_FOR_INTENT:  # the next message may just give the order
        asks["awaiting_slot"] = draft["asks"]
    if draft.get("no_offer"):  # an unsure topic's orders were not offered: nothing waits for an order
        asks.update(awaiting_slot=None, missing_slot=None, offered_orders=[], choices=[])
    return {**asks,
        "reply": draft["text"], "tier": draft["tier"], "citations": draft["citations"],
        "resolved": draft["grounded"], "timings": timings, "offer": draft.get("offer"),
        "messages": [{"role": "assistant", "content": draft["text"], "turn": state.get("turn", 0)}],
    }
