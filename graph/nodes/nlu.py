"""NLU: intent, entities, emotion and language of the customer message (the front tier's models).

Taxonomy rule applied here: a message gets the operation the customer most needs handled now. When
the model reads a message as a complaint but, once the venting clauses are set aside, the rest asks for
an operation ("破服务！我要退货"), the operation wins; the anger stays in the emotion trajectory.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict
from typing import Any

from langgraph.runtime import Runtime

from graph import voice
from graph.context import TurnContext
from graph.dialogue_acts import without_venting
from graph.intents import ACTION_FOR_INTENT
from graph.nlu import load_nlu
from graph.state import DialogueState

MEMO_SIZE = 4096
MEMO_MAX_CHARS = 64
_memo: OrderedDict[tuple[int, str, str], dict[str, Any]] = OrderedDict()
_memo_lock = threading.Lock()


def analyze_remembered(model: Any, text: str) -> dict[str, Any]:
    """`model.analyze(text)`, remembered for short messages. The analysis depends on the text alone, and
    short messages repeat a lot ("好的", "确认", "谢谢", "第1个"): 15% of the load suite's turns."""
    if len(text) > MEMO_MAX_CHARS:
        return model.analyze(text)
    key = (id(model), str(getattr(model, "version", "")), text)
    with _memo_lock:
        known = _memo.get(key)
        if known is not None:
            _memo.move_to_end(key)
            return copy.deepcopy(known)
    result = model.analyze(text)
    with _memo_lock:
        _memo[key] = copy.deepcopy(result)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return result


def operation_behind_complaint(nlu: Any, text: str) -> dict[str, Any] | None:
    """The operation request left when the venting clauses of a complaint are removed, if any."""
    rest = without_venting(text)
    if len(rest) < 3 or rest == text:
        return None
    result = analyze_remembered(nlu, rest)
    return result if result["intent"] in ACTION_FOR_INTENT and float(result["confidence"]) >= 0.5 else None


def _with_voice(state: DialogueState, emotion: dict[str, Any]) -> dict[str, Any]:
    """A voice message: its arousal against the shopper's earlier voice turns, fused into the emotion."""
    features = state.get("voice")
    if not features:
        return {}
    level = voice.arousal(features, state.get("voice_history"))
    fused = voice.fuse(emotion, level)
    return {"voice_history": [features],
            "voice_signal": {"arousal": level, "text_emotion": dict(emotion), "emotion": fused}}


def nlu(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    model = load_nlu(runtime.context.settings)
    text = state.get("text", "")
    result = analyze_remembered(model, text)
    intent, confidence = result["intent"], float(result.get("confidence", 0.0))
    if intent == "complaint":
        operation = operation_behind_complaint(model, text)
        if operation:
            intent, confidence = operation["intent"], float(operation["confidence"])
    emotion = result.get("emotion") or {"label": "neutral", "intensity": 0.0}
    voice_update = _with_voice(state, emotion)
    emotion = voice_update.get("voice_signal", {}).get("emotion", emotion)
    timings = dict(state.get("timings") or {})
    timings["nlu_ms"] = (time.perf_counter() - started) * 1000
    return {
        **voice_update,
        "intent": intent,
        "confidence": confidence,
        "entities": list(result.get("entities", [])),
        "language": result.get("language", "zh"),
        "emotion_history": [{
            "label": emotion["label"], "intensity": float(emotion["intensity"]), "turn": state.get("turn", 0),
            **({k: emotion[k] for k in ("voice_arousal", "text_intensity")} if "voice_arousal" in emotion else {}),
        }],
        "timings": timings,
    }
