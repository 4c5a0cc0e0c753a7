"""The word-based finders of entity extraction: sizes, colours and variants (sku_attr), and product
mentions from the lexicon with the words that belong to them (modifiers, models, accessories)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.nlu.entity_lexicon import is_stop, lexicon, lexicon_matches
from graph.nlu.word_patterns import (
    ACCESSORY,
    DEVICES,
    EN_OBJECT_AFTER,
    EN_PRONOUN_AFTER,
    EN_VERB_BEFORE,
    EN_VERB_NOUNS,
    FEATURE,
    LETTER_SIZE,
    LONE_SIZE,
    MODEL_LINES,
    MODEL_SUFFIX,
    PRODUCT_MODIFIERS,
    SHOE_SIZE,
    SHOE_SIZE_SWAP,
    SIZE,
    SIZE_TALK,
    SIZE_WORD_EN,
    STORAGE,
    TOOL_AFTER,
    TOOL_BEFORE,
    TOOL_DIRECT,
    TOOL_SKILL,
    UI_BEFORE,
)

Span = tuple[str, str, int, int]  # type, value, start, end


def products_lexicon() -> tuple[re.Pattern[str], frozenset[str]]:
    """The product word list with its modifiers (also used to tell counts of goods: "2 lamps")."""
    return lexicon("products.txt", PRODUCT_MODIFIERS)


def attrs(text: str) -> Iterator[Span]:
    """Sizes, storage, dimensions, colours and variants, as written (letter sizes upper-cased)."""
    for m in SIZE.finditer(text):
        span = m.group(1) or m.group(0)
        start = m.start(1) if m.group(1) else m.start()
        yield "sku_attr", _size_value(span), start, start + len(span)
    size_talk = bool(SIZE_TALK.search(text))
    shoe_sizes = (SHOE_SIZE, SHOE_SIZE_SWAP) if size_talk else (SHOE_SIZE,)
    for pattern in (SIZE_WORD_EN, *shoe_sizes):
        for m in pattern.finditer(text):
            group = 1 if m.group(1) else 2
            yield "sku_attr", m.group(group), m.start(group), m.end(group)
    if size_talk:
        for m in LONE_SIZE.finditer(text):
            yield "sku_attr", m.group(0), m.start(), m.end()
    for m in FEATURE.finditer(text):
        yield "sku_attr", m.group(0), m.start(), m.end()
    pattern, stops = lexicon("colours.txt")
    for m in lexicon_matches(pattern, stops, text):
        if not UI_BEFORE.search(text[max(0, m.start() - 6) : m.start()]):
            yield "sku_attr", m.group(0), m.start(), m.end()


def _size_value(span: str) -> str:
    """Letter sizes upper-cased with their 码 as written (xl码 -> XL码), storage without spaces
    (256 G -> 256G), others as written."""
    if STORAGE.fullmatch(span):
        return span.replace(" ", "").upper()
    letters = LETTER_SIZE.fullmatch(span)
    if letters and letters.group(1).isalpha():
        return letters.group(1).upper() + letters.group(2)
    return span.upper() if span.isascii() and len(span) <= 4 else span


def products(text: str) -> Iterator[Span]:
    """Product mentions as written, without product words used as verbs or as tools."""
    pattern, stops = products_lexicon()
    for found in lexicon_matches(pattern, stops, text):
        m = _uncut(text, found)
        if m is None:
            continue
        word = m.group(0).lower()
        if (word in EN_VERB_NOUNS and _verb_use(text, m)) or (word in DEVICES and _tool_use(text, m)):
            continue
        end = m.end()
        model = MODEL_SUFFIX.match(text, end) if word in MODEL_LINES else None
        end = model.end() if model else end
        accessory = ACCESSORY.match(text, end)
        end = accessory.end() if accessory else end
        yield "product", text[m.start() : end], m.start(), end


def _uncut(text: str, m: re.Match[str]) -> re.Match[str] | None:
    """The match, or the plain word at its start when a modifier would cut that word in two
    (运动鞋带几个颜色 is 运动鞋, not 运动 + 鞋带); None when that word is a stop phrase."""
    if not m.group("modifiers"):
        return m
    plain_pattern, stops = lexicon("products.txt")
    plain = plain_pattern.match(text, m.start())
    if plain is None or plain.end() <= m.end("modifiers"):
        return m
    return None if is_stop(plain.group(0), stops) else plain


def _verb_use(text: str, m: re.Match[str]) -> bool:
    """Whether an English product word that is also a verb is used as one ("can you switch it")."""
    before = text[max(0, m.start() - 12) : m.start()]
    sentence_start = not before.strip() or before.rstrip()[-1] in ".!?。！？，,"
    if EN_VERB_BEFORE.search(before) or EN_PRONOUN_AFTER.match(text, m.end()):
        return True
    return sentence_start and bool(EN_OBJECT_AFTER.match(text, m.end()))


def _tool_use(text: str, m: re.Match[str]) -> bool:
    """Whether a phone or computer is the means of doing something ("用手机付钱", "不会用电脑",
    "手机支付失败")."""
    before = text[max(0, m.start() - 4) : m.start()]
    if TOOL_SKILL.search(before) or TOOL_DIRECT.match(text, m.end()):
        return True
    return bool(TOOL_BEFORE.search(before) and TOOL_AFTER.match(text, m.end()))
