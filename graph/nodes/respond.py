"""Respond: write the reply — front-tier template, grounded composer, or the LLM with a grounding check."""

from __future__ import annotations

import re
import time
from typing import Any

from langgraph.runtime import Runtime

from graph import composer, replies
from graph.context import TurnContext
from graph.intents import FRONT_TIER_INTENTS, READ_ACTIONS
from graph.state import DialogueState

_THANKS = re.compile(r"谢|thank|thx|感谢", re.I)
_BYE = re.compile(r"再见|拜拜|bye|没有了|没事了", re.I)


def emotion_trend(state: DialogueState) -> str:
    history = [e for e in state.get("emotion_history", []) if e.get("label") in ("angry", "anxious")]
    values = [float(e["intensity"]) for e in state.get("emotion_history", [])[-3:]
              if e.get("label") in ("angry", "anxious")]
    if len(values) >= 2 and values[-1] > values[0] + 0.1:
        return "rising"
    if history and state.get("emotion_history", [])[-1].get("label") not in ("angry", "anxious"):
        return "falling"
    return "flat"


def current_emotion(state: DialogueState) -> dict[str, Any] | None:
    history = state.get("emotion_history") or []
    return dict(history[-1]) if history else None


def _dialogue_reply(state: DialogueState, language: str) -> str:
    act = state.get("dialogue_act")
    if state.get("route") == "guard":
        return replies.text("empty", language)
    if act == "stray_confirm":
        return replies.text("stray_confirm", language)
    if state.get("intent") == "greeting":
        text = state.get("text", "")
        key = "thanks" if _THANKS.search(text) else "bye" if _BYE.search(text) else "greeting"
        return replies.text(key, language)
    return replies.text("other", language)


def _policy_reply(state: DialogueState, language: str) -> dict[str, Any]:
    from graph.generation import compose_policy_answer

    return compose_policy_answer(
        state.get("text", ""), list(state.get("passages") or []), language=language,
        emotion=current_emotion(state), intent=state.get("intent"),
    )


def _draft(state: DialogueState, language: str) -> dict[str, Any]:
    """The composer's reply and who wrote it (front tier for simple reads)."""
    route, actions = state.get("route"), list(state.get("actions") or [])
    if route == "act" and actions:
        record = actions[-1]
        text = composer.action_reply(record, state.get("intent"), language, list(state.get("choices") or []))
        simple = (state.get("intent") in FRONT_TIER_INTENTS and record.get("name") in READ_ACTIONS
                  and record.get("status") == "done")
        return {"text": text, "tier": "front" if simple else "composer", "grounded": True, "citations": []}
    if route == "retrieve":
        answer = _policy_reply(state, language)
        return {"text": answer["text"], "tier": "composer", "grounded": bool(answer.get("grounded")),
                "citations": list(answer.get("citations") or [])}
    simple = state.get("intent") == "greeting" and route != "guard"
    return {"text": _dialogue_reply(state, language), "tier": "front" if simple else "composer",
            "grounded": route == "guard" or state.get("intent") != "other", "citations": []}


def _with_tone(state: DialogueState, text: str, language: str) -> str:
    from graph.generation import tone_opening

    opening = tone_opening(current_emotion(state), language, emotion_trend(state))
    return f"{opening}{text}" if opening and not text.startswith(opening) else text


def _generate(state: DialogueState, draft: dict[str, Any], runtime: Runtime[TurnContext], language: str) -> dict:
    from graph.generation import generate_reply

    context = {
        "question": state.get("text", ""), "language": language, "emotion": current_emotion(state),
        "intent": state.get("intent"), "passages": list(state.get("passages") or []),
        "action_results": list(state.get("actions") or []), "dst_summary": dict(state.get("slots") or {}),
        "history": [m for m in state.get("messages", [])[-6:]],
    }
    return generate_reply(settings=runtime.context.settings, draft=draft["text"], context=context)


def respond(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    language = state.get("language") or "zh"
    draft = _draft(state, language)
    if draft["tier"] != "front" and state.get("route") != "guard":
        draft["text"] = _with_tone(state, draft["text"], language)
        generated = _generate(state, draft, runtime, language)
        draft["text"], draft["tier"] = generated["text"], generated.get("tier", "composer")
    if (state.get("timings") or {}).get("truncated"):
        draft["text"] = replies.text("truncated", language) + draft["text"]
    if runtime.stream_writer:
        runtime.stream_writer({"chunk": draft["text"]})
    timings = dict(state.get("timings") or {})
    timings["respond_ms"] = (time.perf_counter() - started) * 1000
    return {
        "reply": draft["text"], "tier": draft["tier"], "citations": draft["citations"],
        "resolved": draft["grounded"], "timings": timings,
        "messages": [{"role": "assistant", "content": draft["text"], "turn": state.get("turn", 0)}],
    }
