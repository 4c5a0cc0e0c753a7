"""The service reward: one scorer for RL training and for evaluation.

Three components, weighted as the design guide's RL table: first-contact resolution 0.4, response
time 0.3, emotion fit 0.3. Each is a pure function returning a value in [0, 1]:

- resolution: the reply handles the customer's intent (the registry's resolution cues), is not a deflection
  ("请您耐心等待") or a handoff (unless a human was asked for), and states no number or rule that
  contradicts the shop's knowledge graph (finetune/kg.py) — a contradiction cuts the score to 1/4.
- response time: 1 up to 3 s, falling linearly to 0 at 10 s; when the latency was not measured
  (RL completions) it is estimated from the reply length (long answers are slow answers).
- emotion fit: a 1-5 rubric (guide threshold >= 4) mapped to [0, 1]: empathy and a concrete next
  step for angry customers, reassurance and a time commitment for anxious ones, no over-apologising
  and brevity for neutral ones, and never blaming the customer.

Reward functions follow trl's signature `fn(completions, **kw) -> list[float]`, with dataset
columns (intent, emotion, intensity, latency_s) arriving as lists in kw; they sit in `REWARDS`.
`score_conversation(...)` scores a whole transcript with the same pieces for the evaluation suites.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from graph.intents import REGISTRY

WEIGHTS: dict[str, float] = {"first_contact_resolution": 0.4, "response_time": 0.3, "emotion_fit": 0.3}
THRESHOLDS: dict[str, float] = {"first_contact_resolution": 0.85, "response_time_s": 3.0, "emotion_fit": 0.8}

DEFLECTIONS = ("请您耐心等待", "您再等等", "我也不清楚", "不知道", "无法回答", "i don't know", "please wait")
HANDOFF = ("转接人工", "转人工", "人工客服", "human agent", "transferring you")
EMPATHY = ("抱歉", "理解", "别着急", "放心", "不好意思", "sorry", "understand", "don't worry", "apolog")
ACTION = ("已为您", "马上", "为您", "会在", "今天内", "立即", "i've", "i will", "right away", "i have")
BLAME = ("你自己", "您自己的问题", "不关我们", "跟我们没关系", "your fault", "not our problem")
CLOSING = ("谢谢", "不客气", "祝您", "随时", "welcome", "thank", "have a nice")
TIME_PROMISE = re.compile(
    r"\d+\s*(个工作日|工作日|小时|天|分钟)|今天|马上|立即|working days?|hours?|today", re.IGNORECASE
)
INTENT_CUES: dict[str, tuple[str, ...]] = {name: row.resolution_cues for name, row in REGISTRY.items()}
"""Words a reply that resolves each intent tends to contain (graph/intents.yaml `resolution_cues`)."""

RewardFn = Callable[..., list[float]]


def completion_text(completion: Any) -> str:
    """Text of a completion: a string, a message dict, or a list of messages (last assistant one)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return str(completion.get("content", completion.get("text", "")))
    if isinstance(completion, (list, tuple)) and completion:
        replies = [m for m in completion if isinstance(m, dict) and m.get("role") == "assistant"] or list(
            completion
        )
        return completion_text(replies[-1])
    return ""


@lru_cache(maxsize=1)
def _kg() -> Any:
    from finetune.kg import build_kg

    return build_kg()


def _has(text: str, words: Sequence[str]) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in words)


def resolution_score(text: str, intent: str | None, kg: Any = None) -> float:
    """How well one reply resolves the customer's intent on first contact, in [0, 1]."""
    text = (text or "").strip()
    if not text:
        return 0.0
    intent = intent if intent in INTENT_CUES else "other"
    cues = INTENT_CUES[intent]
    if _has(text, DEFLECTIONS) and not _has(text, cues):
        return 0.0
    if intent == "human_agent":
        score = 1.0 if _has(text, HANDOFF) else 0.3
    elif _has(text, HANDOFF):
        score = 0.2
    else:
        score = 1.0 if _has(text, cues) else 0.4
    graph = kg if kg is not None else _kg()
    if graph.check_text(text):
        score *= 0.25
    return score


def estimate_latency(text: str, chars_per_s: float = 40.0, overhead_s: float = 0.4) -> float:
    """Seconds a reply of this length takes to generate (when no latency was measured)."""
    return overhead_s + len(text or "") / chars_per_s


def response_time_score(latency_s: float, target_s: float = 3.0, limit_s: float = 10.0) -> float:
    """1.0 up to target_s, linear down to 0.0 at limit_s."""
    if latency_s <= target_s:
        return 1.0
    if latency_s >= limit_s:
        return 0.0
    return (limit_s - latency_s) / (limit_s - target_s)


def emotion_points(text: str, emotion: str | None, intensity: float = 0.5) -> int:
    """The 1-5 emotion-fit rubric of one reply to a customer in `emotion`."""
    points = 3
    if emotion == "angry":
        points += int(_has(text, EMPATHY)) + int(_has(text, ACTION))
        points -= int(intensity >= 0.6 and not _has(text, EMPATHY))
    elif emotion == "anxious":
        points += int(_has(text, EMPATHY) or _has(text, ("放心", "别着急"))) + int(
            bool(TIME_PROMISE.search(text))
        )
    elif emotion == "positive":
        points += int(_has(text, CLOSING)) + int(len(text) <= 120)
    else:
        points += int(not _has(text, ("非常抱歉", "真的很抱歉", "really sorry"))) + int(len(text) <= 120)
    if _has(text, BLAME):
        points -= 2
    if not text.strip():
        points = 1
    return max(1, min(5, points))


def emotion_fit_score(text: str, emotion: str | None, intensity: float = 0.5) -> float:
    """Emotion fit in [0, 1] (rubric points / 5; the guide's 4-point threshold is 0.8)."""
    return emotion_points(text, emotion, intensity) / 5.0


def _column(kw: dict[str, Any], name: str, n: int, default: Any) -> list[Any]:
    value = kw.get(name)
    if value is None:
        return [default] * n
    if isinstance(value, (list, tuple)):
        return [default if v is None else v for v in value]
    return [value] * n


def first_contact_resolution(completions: Sequence[Any], **kw: Any) -> list[float]:
    """Reward: resolution of each completion for the `intent` column."""
    intents = _column(kw, "intent", len(completions), "other")
    return [resolution_score(completion_text(c), i) for c, i in zip(completions, intents, strict=False)]


def response_time(completions: Sequence[Any], **kw: Any) -> list[float]:
    """Reward: measured `latency_s` column when given, else the length-based estimate."""
    latencies = _column(kw, "latency_s", len(completions), None)
    texts = [completion_text(c) for c in completions]
    return [
        response_time_score(lat if lat is not None else estimate_latency(t))
        for t, lat in zip(texts, latencies, strict=False)
    ]


def emotion_fit(completions: Sequence[Any], **kw: Any) -> list[float]:
    """Reward: emotion fit for the `emotion` / `intensity` columns."""
    emotions = _column(kw, "emotion", len(completions), "neutral")
    intensities = _column(kw, "intensity", len(completions), 0.5)
    return [
        emotion_fit_score(completion_text(c), e, float(x))
        for c, e, x in zip(completions, emotions, intensities, strict=False)
    ]


def kefu_service(completions: Sequence[Any], **kw: Any) -> list[float]:
    """Reward: the weighted sum 0.4·resolution + 0.3·response time + 0.3·emotion fit."""
    parts = [REWARDS[name](completions, **kw) for name in WEIGHTS]
    return [sum(WEIGHTS[name] * p[i] for name, p in zip(WEIGHTS, parts, strict=False)) for i in range(len(completions))]


REWARDS: dict[str, RewardFn] = {
    "first_contact_resolution": first_contact_resolution,
    "response_time": response_time,
    "emotion_fit": emotion_fit,
    "kefu_service": kefu_service,
}


def get_reward(name: str) -> RewardFn:
    """A reward function by registry name (ValueError naming the known ones otherwise)."""
    if name not in REWARDS:
        raise ValueError(f"unknown reward {name!r}; known: {', '.join(REWARDS)}")
    return REWARDS[name]


def _agent_turn_scores(
    turns: Sequence[dict[str, Any]], intent: str | None, kg: Any
) -> list[tuple[float, float, float]]:
    """(resolution, latency seconds, emotion fit) of each agent turn, against the customer turn before it."""
    last_customer: dict[str, Any] = {}
    rows = []
    for turn in turns:
        role = str(turn.get("role", "")).lower()
        text = str(turn.get("text", turn.get("content", "")) or "")
        if role in ("customer", "user"):
            last_customer = dict(turn)
        elif role in ("agent", "assistant", "bot", "human"):
            latency = turn.get("latency_s")
            seconds = float(latency) if latency is not None else estimate_latency(text)
            intensity = float(last_customer.get("intensity") or 0.5)
            rows.append(
                (
                    resolution_score(text, intent or last_customer.get("intent"), kg),
                    seconds,
                    emotion_fit_score(text, last_customer.get("emotion"), intensity),
                )
            )
    return rows


def score_conversation(
    turns: Sequence[dict[str, Any]],
    *,
    resolved: bool | None = None,
    handed_off: bool = False,
    intent: str | None = None,
    kg: Any = None,
) -> dict[str, Any]:
    """Score a transcript: the three components, the weighted reward and the guide's thresholds.

    turns: dicts with role (customer/user or agent/assistant), text or content, and optionally
    intent, emotion, intensity (customer turns) and latency_s (agent turns). `resolved` is the
    evaluation's verdict when it has one (then resolution = resolved and not handed off);
    otherwise the best resolution score of the agent's replies to the customer's intent.
    """
    rows = _agent_turn_scores(turns, intent, kg)
    if resolved is not None:
        fcr = 1.0 if resolved and not handed_off else 0.0
    else:
        fcr = 0.0 if handed_off or not rows else max(r[0] for r in rows)
    n = max(1, len(rows))
    mean_s = sum(r[1] for r in rows) / n
    rt = sum(response_time_score(r[1]) for r in rows) / n
    ef = sum(r[2] for r in rows) / n
    scores = {"first_contact_resolution": fcr, "response_time": rt, "emotion_fit": ef}
    meets = {
        "first_contact_resolution": fcr >= THRESHOLDS["first_contact_resolution"],
        "response_time": bool(rows) and mean_s <= THRESHOLDS["response_time_s"],
        "emotion_fit": ef >= THRESHOLDS["emotion_fit"],
    }
    reward = sum(WEIGHTS[k] * v for k, v in scores.items())
    return {**scores, "reward": reward, "agent_turns": len(rows), "mean_latency_s": mean_s, "meets": meets}
