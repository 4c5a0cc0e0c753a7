"""NLU: intent, entities, emotion and language of the customer message (the front tier's models)."""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from graph.context import TurnContext
from graph.nlu import load_nlu
from graph.state import DialogueState


def nlu(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    result = load_nlu(runtime.context.settings).analyze(state.get("text", ""))
    emotion = result.get("emotion") or {"label": "neutral", "intensity": 0.0}
    timings = dict(state.get("timings") or {})
    timings["nlu_ms"] = (time.perf_counter() - started) * 1000
    return {
        "intent": result["intent"],
        "confidence": float(result.get("confidence", 0.0)),
        "entities": list(result.get("entities", [])),
        "language": result.get("language", "zh"),
        "emotion_history": [
            {"label": emotion["label"], "intensity": float(emotion["intensity"]), "turn": state.get("turn", 0)}
        ],
        "timings": timings,
    }
