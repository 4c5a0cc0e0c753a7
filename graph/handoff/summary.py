"""What an agent reads first when taking a conversation: a short Chinese summary and its parts.

Everything is derived from the dialogue state snapshot (graph/state.py `DialogueState`): the task,
the DST slots, what the bot already did, the emotion trajectory and the customer's last words.
"""

from __future__ import annotations

from typing import Any

from graph.handoff.texts import label, texts
from graph.intents import display_name

MAX_QUOTE_CHARS = 80
MAX_TRANSCRIPT_MESSAGES = 200
MAX_MESSAGE_CHARS = 2000

_NEGATIVITY = {"angry": 1.0, "anxious": 0.5, "neutral": 0.0, "positive": -0.3}


def _clip(text: Any, limit: int) -> str:
    """One line of at most `limit` characters, control characters removed."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in str(text or "")).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def transcript_of(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The last messages of the state as plain dicts {role, content, turn} (bounded in size)."""
    out = []
    for msg in list(state.get("messages") or [])[-MAX_TRANSCRIPT_MESSAGES:]:
        if not isinstance(msg, dict):
            continue
        out.append(
            {
                "role": str(msg.get("role", "")),
                "content": str(msg.get("content", ""))[:MAX_MESSAGE_CHARS],
                "turn": msg.get("turn"),
            }
        )
    return out


def emotions_of(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The emotion trajectory {label, intensity, turn}, one entry per customer message."""
    out = []
    for item in state.get("emotion_history") or []:
        if isinstance(item, dict) and item.get("label"):
            try:
                intensity = min(max(float(item.get("intensity", 0.0)), 0.0), 1.0)
            except (TypeError, ValueError):
                intensity = 0.0
            entry = {"label": str(item["label"]), "intensity": intensity, "turn": item.get("turn")}
            if isinstance(item.get("voice_arousal"), int | float):  # a voice message: its signal beside the text's
                entry.update(voice_arousal=float(item["voice_arousal"]),
                             text_intensity=float(item.get("text_intensity") or 0.0))
            out.append(entry)
    return out


def anger_of(emotions: list[dict[str, Any]], window: int = 3) -> float:
    """The highest anger intensity among the last `window` customer messages."""
    recent = emotions[-window:]
    return max((e["intensity"] for e in recent if e["label"] == "angry"), default=0.0)


def intent_of(state: dict[str, Any]) -> str | None:
    """The task the customer wants handled: the active intent, else the last message's intent."""
    for key in ("active_intent", "intent"):
        value = state.get(key)
        if value and value not in ("other", "human_agent", "greeting"):
            return str(value)
    return None


def _emotion_part(emotions: list[dict[str, Any]]) -> str:
    t = texts()["summary"]
    if not emotions:
        return t["no_emotion"]
    labels: list[str] = []
    for e in emotions:
        if not labels or labels[-1] != e["label"]:
            labels.append(e["label"])
    trend = "→".join(label("emotion_names", x) for x in labels[-4:])
    score = [_NEGATIVITY.get(e["label"], 0.0) * max(e["intensity"], 0.3) for e in emotions]
    delta = score[-1] - score[0]
    direction = (
        t["direction_up"] if delta > 0.15 else t["direction_down"] if delta < -0.15 else t["direction_flat"]
    )
    text = t["emotion"].format(trend=trend, direction=direction)
    peak = max((e["intensity"] for e in emotions if e["label"] == "angry"), default=0.0)
    return text + (t["emotion_peak"].format(peak=f"{peak:.2f}") if peak > 0 else "")


def _tried_part(state: dict[str, Any], transcript: list[dict[str, Any]]) -> str:
    t = texts()["summary"]
    replies = sum(1 for m in transcript if m["role"] == "assistant")
    text = t["tried"].format(replies=replies, unresolved=int(state.get("unresolved_turns") or 0))
    names = [str(a.get("name")) for a in state.get("actions") or [] if isinstance(a, dict) and a.get("name")]
    pending = state.get("pending_action")
    if isinstance(pending, dict) and pending.get("name"):
        names.append(f"{pending['name']}(待确认)")
    return text + (t["tried_actions"].format(actions="、".join(names)) if names else "")


def build_summary(state: dict[str, Any], reason: str | None = None) -> str:
    """A short Chinese summary: intent, slots, what was tried, emotion trend, last customer message."""
    t = texts()["summary"]
    transcript = transcript_of(state)
    intent = intent_of(state)
    parts = [t["intent"].format(intent=display_name(intent, "zh") or intent) if intent else t["no_intent"]]
    slots = {k: v for k, v in (state.get("slots") or {}).items() if v not in (None, "")}
    if slots:
        shown = "，".join(f"{label('slot_names', k)}={_clip(v, 40)}" for k, v in slots.items())
        parts.append(t["slots"].format(slots=shown))
    else:
        parts.append(t["no_slots"])
    parts.append(_tried_part(state, transcript))
    parts.append(_emotion_part(emotions_of(state)))
    if reason:
        parts.append(t["reason"].format(reason=label("reason_names", reason)))
    last_user = next((m["content"] for m in reversed(transcript) if m["role"] == "user"), None)
    if last_user is None and state.get("text"):
        last_user = str(state["text"])
    if last_user:
        parts.append(t["last_message"].format(text=_clip(last_user, MAX_QUOTE_CHARS)))
    return t["separator"].join(parts)
