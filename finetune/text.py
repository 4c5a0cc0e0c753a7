"""Light text utilities of the data pipeline: keyword intents and augmentation."""

from __future__ import annotations

import random

from finetune.resources import load_yaml
from graph.nlu.baseline import keyword_intents


def keyword_intent(text: str) -> str:
    """Taxonomy intent of a customer question by the registry's keyword rules ('other' when none matches)."""
    return keyword_intents().predict(text)[0]


def _replace_one(text: str, table: dict[str, object], rng: random.Random) -> str:
    hits = [w for w in table if w in text]
    if not hits:
        return text
    word = rng.choice(sorted(hits))
    options = table[word]
    new = rng.choice(options) if isinstance(options, list) else str(options)
    return text.replace(word, new, 1)


def synonym_swap(text: str, rng: random.Random) -> str:
    """Replace one known word with a synonym (退货→退款/撤回订单, 物流→快递/配送, …)."""
    return _replace_one(text, load_yaml("augment.yaml")["synonyms"], rng)


def typo(text: str, rng: random.Random) -> str:
    """Introduce one common typing slip (homophones, IME errors); else drop a random character."""
    out = _replace_one(text, load_yaml("augment.yaml")["typos"], rng)
    if out == text and len(text) > 4:
        i = rng.randrange(1, len(text) - 1)
        out = text[:i] + text[i + 1 :]
    return out


def code_switch(text: str, rng: random.Random) -> str:
    """Swap one Chinese word for the English word customers mix in (订单→order)."""
    return _replace_one(text, load_yaml("augment.yaml")["code_switch"], rng)


AUGMENTERS = {"synonym": synonym_swap, "typo": typo, "code_switch": code_switch}
