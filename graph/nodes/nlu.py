"""NLU: intent, entities, emotion and language of the customer message (the front tier's models).

Fraud accusations, threats to go to the platform or a regulator, blocking and abuse are complaint and
anger signals (graph/escalation.py `complaint_signal`): the emotion is raised to the threshold the signal
stands for, and a message read as nothing in particular becomes a complaint. When the NLU lists its
readings (`candidates`) and says it is unsure (`ask`), both go into the state (absent: not unsure).

Taxonomy rule applied here: a message gets the operation the customer most needs handled now. When
the model reads a message as a complaint but, once the venting clauses are set aside, the rest asks for
an operation ("破服务！我要退货"), the operation wins; the anger stays in the emotion trajectory.
"""

from __future__ import annotations

import copy
import re
import threading
import time
from collections import OrderedDict
from typing import Any

from langgraph.runtime import Runtime

from graph import escalation, voice
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


def readings(result: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The NLU's `candidates` (well-formed ones, best first) and `ask` flag; absent or malformed: none, False."""
    raw = result.get("candidates")
    candidates = []
    for cand in raw if isinstance(raw, list) else []:
        if isinstance(cand, dict) and isinstance(cand.get("intent"), str):
            try:
                candidates.append({"intent": cand["intent"], "confidence": float(cand.get("confidence", 0.0))})
            except (TypeError, ValueError):
                continue
    return candidates, result.get("ask") is True and len(candidates) >= 2


def _signalled(text: str, intent: str, confidence: float, emotion: dict[str, Any],
               settings: Any) -> tuple[str, float, dict[str, Any]]:
    """Intent and emotion once the message's complaint signal (threat, abuse) is counted."""
    signal = escalation.complaint_signal(text)
    if signal is None:
        return intent, confidence, emotion
    level = escalation.signal_anger(signal, settings)
    current = float(emotion.get("intensity") or 0.0) if emotion.get("label") == "angry" else 0.0
    emotion = {"label": "angry", "intensity": max(current, level)}
    if intent in ("other", "greeting") or confidence < 0.5:
        intent, confidence = "complaint", max(confidence, 0.9)
    return intent, confidence, emotion


_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z]+")


def reply_language_of(text: str, detected: str, previous: str | None) -> str:
    """The conversation keeps its language for a message that shows none of its own: digits only
    ("313027784519"), a "?", or one Latin word ("ok", "thanks") in a Chinese conversation."""
    if previous and not _CJK.search(text) and len(_WORD.findall(text)) <= 1:
        return previous
    return detected


_NUMBER_AFTER = re.compile(r"^\s*(?:号码?)?\s*(?:尾号|尾数|后四位|后4位)?\s*(?:是|为|:|：)?\s*\d{4}")


def without_number_labels(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The entities less a "product" that only labels the number after it ("手机13706654921", "手机尾号3306":
    the customer's phone, not an item they bought)."""
    return [e for e in entities if e.get("type") != "product"
            or not _NUMBER_AFTER.match(text[int(e.get("end", 0)):])]


def nlu(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    model = load_nlu(runtime.context.settings)
    text = state.get("text", "")
    result = analyze_remembered(model, text)
    intent, confidence = result["intent"], float(result.get("confidence", 0.0))
    emotion = result.get("emotion") or {"label": "neutral", "intensity": 0.0}
    intent, confidence, emotion = _signalled(text, intent, confidence, emotion, runtime.context.settings)
    if intent == "complaint":
        operation = operation_behind_complaint(model, text)
        if operation:
            intent, confidence = operation["intent"], float(operation["confidence"])
    voice_update = _with_voice(state, emotion)
    emotion = voice_update.get("voice_signal", {}).get("emotion", emotion)
    candidates, ask = readings(result)
    ask = ask and intent == result["intent"]  # a signal or the operation behind a complaint decided it
    timings = dict(state.get("timings") or {})
    timings["nlu_ms"] = (time.perf_counter() - started) * 1000
    return {
        **voice_update,
        "intent": intent,
        "confidence": confidence,
        "entities": without_number_labels(list(result.get("entities", [])), text),
        "candidates": candidates,
        "ask": ask,
        "language": reply_language_of(text, result.get("language", "zh"), state.get("language")),
        "emotion_history": [{
            "label": emotion["label"], "intensity": float(emotion["intensity"]), "turn": state.get("turn", 0),
            **({k: emotion[k] for k in ("voice_arousal", "text_intensity")} if "voice_arousal" in emotion else {}),
        }],
        "timings": timings,
    }
