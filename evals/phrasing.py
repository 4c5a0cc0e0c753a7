"""Personas and phrasing of simulated customers: templates from evals/data/simulator.yaml, persona
prefixes/suffixes, language choice and realistic typos; all drawn from a seeded RNG."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_PATH = Path(__file__).resolve().parent / "data" / "simulator.yaml"


@dataclass(frozen=True)
class Persona:
    """How one kind of customer talks and how much unhelpfulness they take."""

    name: str
    patience: int
    anger_gain: float
    start_emotion: tuple[str, float]
    languages: dict[str, float]
    typo_rate: float
    order_id_upfront: float
    asks_human_when_stuck: float
    prefix: tuple[str, ...]
    suffix: tuple[str, ...]


@lru_cache(maxsize=4)
def load_data(path: Path = DATA_PATH) -> dict[str, Any]:
    """The simulator's phrase book (personas, moves, goals, policy questions, typos)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def personas() -> dict[str, Persona]:
    """All personas of the phrase book, by name."""
    out = {}
    for name, raw in load_data()["personas"].items():
        out[name] = Persona(
            name=name,
            patience=int(raw["patience"]),
            anger_gain=float(raw["anger_gain"]),
            start_emotion=(str(raw["start_emotion"][0]), float(raw["start_emotion"][1])),
            languages={k: float(v) for k, v in raw["languages"].items()},
            typo_rate=float(raw["typo_rate"]),
            order_id_upfront=float(raw["order_id_upfront"]),
            asks_human_when_stuck=float(raw["asks_human_when_stuck"]),
            prefix=tuple(raw.get("prefix") or [""]),
            suffix=tuple(raw.get("suffix") or [""]),
        )
    return out


def pick_language(persona: Persona, rng: random.Random) -> str:
    """zh | en | mixed, by the persona's weights."""
    names = sorted(persona.languages)
    return rng.choices(names, weights=[persona.languages[n] for n in names])[0]


def phrases(section: str, key: str, language: str) -> list[str]:
    """Templates of one move/goal in one language (falls back to zh)."""
    entry = load_data()[section][key]
    return list(entry.get(language) or entry.get("zh") or [])


def fill(template: str, values: dict[str, Any]) -> str:
    """Fill {placeholders}; unknown ones become empty."""
    out = template
    for key in ("order_id", "product", "address", "title", "index"):
        out = out.replace("{" + key + "}", str(values.get(key) or ""))
    return out


def add_typos(text: str, rate: float, rng: random.Random, language: str) -> str:
    """Homophone slips in Chinese words, swapped letters in English words; digits stay intact."""
    if rate <= 0:
        return text
    for word, slips in load_data().get("typos", {}).get("zh", {}).items():
        if word in text and rng.random() < rate * 3:
            text = text.replace(word, rng.choice(slips), 1)
    if language != "zh":
        words = text.split(" ")
        for i, word in enumerate(words):
            if len(word) > 3 and word.isalpha() and word.isascii() and rng.random() < rate:
                j = rng.randrange(len(word) - 1)
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        text = " ".join(words)
    return text


def decorate(text: str, persona: Persona, rng: random.Random, language: str, first: bool) -> str:
    """Persona colour: prefixes on the first message, suffixes now and then (English keeps English)."""
    prefixes = [p for p in persona.prefix if p.isascii()] if language == "en" else list(persona.prefix)
    suffixes = [s for s in persona.suffix if s.isascii()] if language == "en" else list(persona.suffix)
    if first and prefixes:
        text = rng.choice(prefixes) + text
    if suffixes and rng.random() < (0.7 if first else 0.3):
        text = text + rng.choice(suffixes)
    return text
