"""Corpus shaping: intent triples, dedup, stratified sampling, augmentation and leak-free splits."""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Callable, Hashable

from finetune.dialogues import Dialogue, Turn
from finetune.resources import intents
from finetune.text import AUGMENTERS, keyword_intent

_NORM = re.compile(r"[\s\W_]+", re.UNICODE)


def origin(d: Dialogue) -> str:
    """The id of the dialogue this one was derived from (itself for originals)."""
    return str(d.meta.get("origin", d.id))


def question_intent(d: Dialogue) -> tuple[int, str] | None:
    """Index and intent of the first customer turn that asks for something (not a greeting)."""
    labels = set(intents())
    for i, t in enumerate(d.turns):
        if t.role != "customer":
            continue
        label = t.intent if t.intent in labels else keyword_intent(t.text)
        if label != "greeting":
            return i, label
    return None


def question_and_answer(d: Dialogue) -> tuple[int, int, str] | None:
    """(question turn, answer turn, intent) of a dialogue; None without a question or an answer.

    The answer is the last agent turn before the customer moves to another intent, so a request
    for the order number is skipped in favour of the answer that follows it.
    """
    found = question_intent(d)
    if found is None:
        return None
    qi, intent = found
    answer = None
    for i, t in enumerate(d.turns[qi + 1 :], start=qi + 1):
        if t.role == "agent":
            answer = i
        elif t.intent not in (None, intent) or (t.intent is None and keyword_intent(t.text) == "greeting"):
            break
    return None if answer is None else (qi, answer, intent)


def extract_triple(d: Dialogue) -> dict[str, str] | None:
    """The question-intent-solution triple of a dialogue (None without a question or an answer)."""
    found = question_and_answer(d)
    if found is None:
        return None
    qi, ai, intent = found
    return {
        "dialogue_id": d.id,
        "question": d.turns[qi].text,
        "intent": intent,
        "solution": d.turns[ai].text,
        "category": d.category or "unknown",
    }


def dedup_key(d: Dialogue) -> str:
    """Normalised text of all turns (case, spacing, punctuation and digits ignored)."""
    text = "|".join(f"{t.role}:{_NORM.sub('', t.text.lower())}" for t in d.turns)
    return hashlib.sha1(re.sub(r"\d", "0", text).encode("utf-8")).hexdigest()


def dedup(dialogues: list[Dialogue]) -> tuple[list[Dialogue], int]:
    """First occurrence of each dedup key, and how many duplicates were removed."""
    seen: set[str] = set()
    out = []
    for d in dialogues:
        key = dedup_key(d)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out, len(dialogues) - len(out)


def stratified_sample(
    items: list[Dialogue], n: int, rng: random.Random, keys: tuple[Callable[[Dialogue], Hashable], ...]
) -> list[Dialogue]:
    """Up to n items drawn round-robin over the first key, then the second within it, and so on.

    Every category gets its turn before any gets a second one, so a small category (fresh food)
    is taken whole before a big one fills the budget.
    """
    if n >= len(items) or not keys:
        return list(items)
    groups: dict[Hashable, list[Dialogue]] = defaultdict(list)
    for d in items:
        groups[keys[0](d)].append(d)
    budget = {k: 0 for k in groups}
    remaining = n
    while remaining > 0:
        open_keys = [k for k in sorted(groups, key=str) if budget[k] < len(groups[k])]
        if not open_keys:
            break
        for k in open_keys:
            if remaining == 0:
                break
            budget[k] += 1
            remaining -= 1
    out: list[Dialogue] = []
    for k in sorted(groups, key=str):
        bucket = groups[k][:]
        rng.shuffle(bucket)
        out += stratified_sample(bucket, budget[k], rng, keys[1:]) if len(keys) > 1 else bucket[: budget[k]]
    return out


def augment(
    dialogues: list[Dialogue],
    share: float,
    rng: random.Random,
    kinds: tuple[str, ...] = ("synonym", "typo", "code_switch"),
) -> list[Dialogue]:
    """Augmented copies of a `share` of the dialogues (customer turns only; origin kept in meta)."""
    out = []
    for d in dialogues:
        if rng.random() >= share:
            continue
        kind = rng.choice(kinds)
        fn = AUGMENTERS[kind]
        turns = [
            Turn(**{**t.__dict__, "text": fn(t.text, rng) if t.role == "customer" else t.text})
            for t in d.turns
        ]
        if [t.text for t in turns] == [t.text for t in d.turns]:
            continue
        meta = {**d.meta, "origin": origin(d), "augmented": kind}
        out.append(Dialogue(**{**d.__dict__, "id": f"{d.id}~{kind}", "turns": turns, "meta": meta}))
    return out


def split_of(d: Dialogue, val: float, test: float, seed: int) -> str:
    """'train', 'val' or 'test' from a hash of the dialogue's origin (copies follow their original)."""
    h = int(hashlib.sha1(f"{seed}:{origin(d)}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < test else "val" if h < test + val else "train"


def split(dialogues: list[Dialogue], val: float, test: float, seed: int) -> dict[str, list[Dialogue]]:
    """Train/val/test lists; a dialogue and all its derived copies land in one split."""
    parts: dict[str, list[Dialogue]] = {"train": [], "val": [], "test": []}
    for d in dialogues:
        parts[split_of(d, val, test, seed)].append(d)
    return parts
