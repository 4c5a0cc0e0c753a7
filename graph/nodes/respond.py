"""Respond: write the reply — front-tier template, grounded composer, or the LLM with a grounding check."""

from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import Any

from langgraph.runtime import Runtime

from app.settings import Settings
from graph import composer, replies
from graph.context import TurnContext
from graph.intents import FRONT_TIER_INTENTS, READ_ACTIONS
from graph.state import DialogueState

_THANKS = re.compile(r"谢|thank|thx|感谢", re.I)
_BYE = re.compile(r"再见|拜拜|bye|没有了|没事了", re.I)


@lru_cache(maxsize=8)
def answer_cache(settings: Settings) -> Any:
    """The shop's answer cache for policy questions (process memory; rebuilt on restart)."""
    from graph.generation import AnswerCache

    return AnswerCache()


def emotion_trend(state: DialogueState) -> str:
    from graph.generation import emotion_trend as trend_of

    return str(trend_of(list(state.get("emotion_history") or [])))


def current_emotion(state: DialogueState) -> dict[str, Any] | None:
    history = state.get("emotion_history") or []
    return dict(history[-1]) if history else None


def _dialogue_reply(state: DialogueState, language: str) -> str:
    if state.get("route") == "guard":
        return replies.text("empty", language)
    if state.get("dialogue_act") == "stray_confirm":
        return replies.text("stray_confirm", language)
    if state.get("intent") == "greeting":
        text = state.get("text", "")
        key = "thanks" if _THANKS.search(text) else "bye" if _BYE.search(text) else "greeting"
        return replies.text(key, language)
    return replies.text("other", language)


def _llm_context(state: DialogueState, language: str) -> dict[str, Any]:
    return {
        "question": state.get("text", ""), "language": language, "emotion": current_emotion(state),
        "intent": state.get("intent"), "passages": list(state.get("passages") or []),
        "action_results": list(state.get("actions") or []), "dst_summary": dict(state.get("slots") or {}),
        "history": list(state.get("messages", []))[-6:], "trend": emotion_trend(state),
    }


def _policy_reply(state: DialogueState, settings: Settings, language: str) -> dict[str, Any]:
    from graph.generation import answer_policy_question
    from knowledge import open_kb

    kb = open_kb(settings)
    answer = answer_policy_question(
        state.get("query") or state.get("text", ""), list(state.get("passages") or []), language=language,
        emotion=current_emotion(state), intent=state.get("intent"), trend=emotion_trend(state),
        cache=answer_cache(settings), current_versions=kb.versions_of, settings=settings,
        context={**_llm_context(state, language), "history": [], "slots": dict(state.get("slots") or {})},
        expand=lambda pid, version: kb.get(pid, version)["body"],
    )
    return {"text": answer["text"], "tier": answer.get("tier", "composer"), "grounded": bool(answer["grounded"]),
            "citations": list(answer.get("citations") or []), "final": True}


def _draft(state: DialogueState, settings: Settings, language: str) -> dict[str, Any]:
    """The composer's reply and who wrote it (front tier for simple reads and greetings)."""
    route, actions = state.get("route"), list(state.get("actions") or [])
    if route == "retrieve":
        return _policy_reply(state, settings, language)
    if route == "act" and actions:
        record = actions[-1]
        text = composer.action_reply(record, state.get("intent"), language, list(state.get("choices") or []))
        simple = (state.get("intent") in FRONT_TIER_INTENTS and record.get("name") in READ_ACTIONS
                  and record.get("status") == "done")
        return {"text": text, "tier": "front" if simple else "composer", "grounded": True, "citations": []}
    simple = state.get("intent") == "greeting" and route != "guard"
    return {"text": _dialogue_reply(state, language), "tier": "front" if simple else "composer",
            "grounded": route == "guard" or state.get("intent") != "other", "citations": [],
            "final": route == "guard"}


def _tone(state: DialogueState, text: str, language: str) -> str:
    from graph.generation import tone_opening

    opening = tone_opening(current_emotion(state), language, emotion_trend(state))
    return f"{opening}{text}" if opening and not text.startswith(opening) else text


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


def respond(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    language = state.get("language") or "zh"
    draft = _draft(state, runtime.context.settings, language)
    if (state.get("timings") or {}).get("truncated"):
        draft["text"] = replies.text("truncated", language) + draft["text"]
    if state.get("route") != "guard" and not draft.get("final"):
        draft["text"] = _tone(state, draft["text"], language)
    if draft["tier"] == "front" or draft.get("final"):
        runtime.stream_writer({"chunk": draft["text"]})
    else:
        _stream(state, draft, runtime, language)
    timings = dict(state.get("timings") or {})
    timings["respond_ms"] = (time.perf_counter() - started) * 1000
    return {
        "reply": draft["text"], "tier": draft["tier"], "citations": draft["citations"],
        "resolved": draft["grounded"], "timings": timings,
        "messages": [{"role": "assistant", "content": draft["text"], "turn": state.get("turn", 0)}],
    }
