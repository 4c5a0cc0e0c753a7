"""Label-preserving augmentation of rendered messages: synonyms, typos, code-switching, emotion
decorators, punctuation and emoji noise. Only literal segments are edited, so entity spans stay exact.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from finetune.nlu.templates import Segment
from graph.nlu.labels import INTENTS

AUGMENT_PATH = Path(__file__).parent / "data" / "augment.yaml"
# A word followed by one of these is part of a compound (快递员, 快递柜) and is not swapped.
COMPOUND_TAIL = r"(?![员柜单号费站点箱公司])"
NEUTRAL_EMOJI = ["🤔", "🙂", "😅", "…", "~"]
# Intents whose messages can say how long the customer has waited (see decorate): not the asks about
# rules or products, nor requests to start something ("帮我退货，等了好几天了" reads as a refund query).
WAIT_INTENTS = set(INTENTS) - {
    "greeting",
    "other",
    "product_inquiry",
    "promotion_inquiry",
    "return_policy",
    "return_request",
    "cancel_order",
    "exchange_request",
    "modify_order",
}
GREETING_WORDS = re.compile(r"谢|你好|您好|^hi|^hello|^hey|thank", re.IGNORECASE)
# Emotions a decorator may add to a message of this intent (others keep the template's own). A thanks
# attached to any request is positive (taxonomy.yaml); a complaint with thanks reads as sarcasm.
EMOTION_INTENTS: dict[str, set[str] | None] = {
    "positive": set(INTENTS) - {"complaint", "other"},
    "anxious": None,  # any intent but greeting/other (see allowed_emotions)
    "angry": None,
}


@lru_cache(maxsize=1)
def tables() -> dict[str, Any]:
    """The augmentation tables of augment.yaml."""
    return yaml.safe_load(AUGMENT_PATH.read_text(encoding="utf-8"))


@dataclass
class Example:
    """A message under construction: segments plus labels and the provenance of each edit."""

    segments: list[Segment]
    intent: str
    lang: str
    emotion: str
    intensity: float
    ops: list[str] = field(default_factory=list)
    situation: str = ""  # why the emotion was read from the situation (situations.yaml), if it was


def _map_literals(ex: Example, fn: Any) -> None:
    ex.segments = [
        (fn(text), None, None) if kind is None else (text, kind, value) for text, kind, value in ex.segments
    ]


def synonyms(ex: Example, rng: random.Random) -> None:
    """Swap one word for a synonym allowed for the example's intent."""
    groups = [g for g in tables()["synonyms"] if "*" in g["intents"] or ex.intent in g["intents"]]
    literal = "".join(t for t, k, _ in ex.segments if k is None)
    present = [(g, w) for g in groups for w in g["words"] if w in literal]
    present = [(g, w) for g, w in present if any(w not in other for other in g["words"] if other != w)]
    if not present:
        return
    group, word = rng.choice(present)
    new = rng.choice([w for w in group["words"] if w != word and word not in w])
    done = [False]

    pattern = re.compile(re.escape(word) + COMPOUND_TAIL)

    def swap(text: str) -> str:
        if done[0] or not pattern.search(text):
            return text
        done[0] = True
        return pattern.sub(new, text, count=1)

    _map_literals(ex, swap)
    ex.ops.append(f"synonym:{word}->{new}")


def typo(ex: Example, rng: random.Random) -> None:
    """One common typing slip, or a dropped/doubled character."""
    literal = "".join(t for t, k, _ in ex.segments if k is None)
    slips = [(a, b) for a, b in tables()["typos"] if a in literal]
    if slips and rng.random() < 0.7:
        right, wrong = rng.choice(slips)
        done = [False]

        def slip(text: str) -> str:
            if done[0] or right not in text:
                return text
            done[0] = True
            return text.replace(right, wrong, 1)

        _map_literals(ex, slip)
        ex.ops.append(f"typo:{right}->{wrong}")
        return
    idx = [i for i, (t, k, _) in enumerate(ex.segments) if k is None and len(t) >= 4]
    if not idx:
        return
    i = rng.choice(idx)
    text = ex.segments[i][0]
    pos = rng.randrange(1, len(text) - 1)
    text = text[:pos] + text[pos + 1 :] if rng.random() < 0.5 else text[:pos] + text[pos] + text[pos:]
    ex.segments[i] = (text, None, None)
    ex.ops.append("typo:char")


def code_switch(ex: Example, rng: random.Random) -> None:
    """Replace one or two Chinese words with the English a customer would type (message becomes mixed)."""
    table = tables()["code_switch"]
    literal = "".join(t for t, k, _ in ex.segments if k is None)
    words = [w for w in table if w in literal]
    if not words:
        return
    chosen = rng.sample(words, k=min(len(words), rng.choice([1, 1, 2])))
    for word in chosen:
        eng = rng.choice(table[word])
        _map_literals(ex, lambda t, w=word, e=eng: t.replace(w, e, 1))
        if not eng.isascii():
            continue
        ex.lang = "mixed"
        ex.ops.append(f"code_switch:{word}->{eng}")


def allowed_emotions(ex: Example) -> list[str]:
    """Decorator emotions that keep the message plausible for its intent and template emotion."""
    if ex.emotion != "neutral":
        return [ex.emotion, "neutral"]
    if ex.intent in ("greeting", "other"):
        return ["neutral", "positive"] if ex.intent == "greeting" else ["neutral"]
    out = ["neutral", "anxious", "angry"]
    if ex.intent in EMOTION_INTENTS["positive"]:  # type: ignore[operator]
        out.append("positive")
    return out


def fitting(options: list[Any], intent: str) -> list[Any]:
    """The decorators that keep a message of this intent what it is: waiting ones only where waiting
    fits, and no greeting or thanks on an off-topic message (it would read as a greeting)."""
    out = []
    for pick in options:
        text = pick if isinstance(pick, str) else pick[0]
        if not isinstance(pick, str) and len(pick) > 2 and pick[2] == "wait" and intent not in WAIT_INTENTS:
            continue
        if intent == "other" and GREETING_WORDS.search(text):
            continue
        out.append(pick)
    return out


def decorate(ex: Example, rng: random.Random, emotion: str) -> None:
    """Add an emotion-bearing (or neutral) prefix or suffix and relabel the emotion."""
    deco = tables()["decorators"][emotion]
    side = "prefix" if rng.random() < 0.4 else "suffix"
    lang = "en" if ex.lang == "en" else "zh"
    options = fitting(deco[f"{lang}_{side}"], ex.intent)
    if not options:
        side = "suffix"
        options = fitting(deco[f"{lang}_suffix"], ex.intent)
    if not options:
        return
    pick = rng.choice(options)
    text, intensity = (pick, 0.0) if isinstance(pick, str) else (pick[0], float(pick[1]))
    if side == "prefix":
        ex.segments.insert(0, (text, None, None))
    else:
        ex.segments.append((text, None, None))
    if emotion != "neutral":
        base = ex.intensity if ex.emotion == emotion else 0.0
        ex.emotion = emotion
        ex.intensity = round(min(1.0, max(intensity, base) + (0.1 if base else 0.0)), 2)
    if lang == "zh" and text.isascii() and any(c.isalpha() for c in text):
        ex.lang = "mixed"
    ex.ops.append(f"decorate:{emotion}:{side}")


def casual(ex: Example, rng: random.Random) -> None:
    """English as typed in chat and social posts: a sentence of context around the message, lower case,
    chat spellings (u, pls, cant); none of it changes the labels."""
    table = tables()["casual_en"]
    if rng.random() < 0.5:
        side = rng.choice(["prefix", "suffix"])
        text = rng.choice(table[side])
        if side == "prefix":
            ex.segments.insert(0, (text, None, None))
        else:
            ex.segments.append((text, None, None))
        ex.ops.append(f"casual:{side}")
    if rng.random() < 0.4:
        pairs = [(a, b) for a, b in table["words"] if rng.random() < 0.5]

        def chat(text: str) -> str:
            for right, short in pairs:
                text = re.sub(rf"\b{re.escape(right)}\b", short, text, flags=re.IGNORECASE)
            return text

        _map_literals(ex, chat)
        ex.ops.append("casual:words")
    if rng.random() < 0.4:
        _map_literals(ex, str.lower)
        ex.ops.append("casual:lower")


def noise(ex: Example, rng: random.Random) -> None:
    """Punctuation and spacing noise: drop end punctuation, half/full-width swaps, a neutral emoji."""
    choice = rng.random()
    if choice < 0.4:
        _map_literals(ex, lambda t: t.replace("，", " ").replace("？", "").replace("！", ""))
        ex.ops.append("noise:strip_punct")
    elif choice < 0.7:
        _map_literals(ex, lambda t: t.replace("，", ",").replace("？", "?").replace("！", "!"))
        ex.ops.append("noise:halfwidth")
    else:
        ex.segments.append((rng.choice(NEUTRAL_EMOJI), None, None))
        ex.ops.append("noise:emoji")
