"""Rule-based entity extraction with normalisers (the DST slots of taxonomy.yaml).

Rules are precise on the formats that matter to actions (order ids, tracking numbers, phones,
amounts, quantities) and cheap enough to run on every message: every pattern is compiled once and
each finder is a handful of regex scans. Each finder yields candidate spans; overlaps are resolved
by finder priority, then by length. The word-list finders (sizes, colours, products) are in
entity_words.py; the patterns in entity_patterns.py and word_patterns.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from graph.nlu.entity_patterns import (
    ADDRESS,
    ADDRESS_DISTRICT,
    ADDRESS_EN,
    ADDRESS_LEAD,
    ADDRESS_REGION,
    ADDRESS_UNIT,
    AMOUNT_CONTEXT,
    AMOUNT_CONTEXT_EN,
    AMOUNT_UNIT,
    CN_HUNDREDS,
    COUNT_AFTER,
    COUNT_EN,
    DESTINATION_CUE,
    DIGIT_GROUPS,
    DIGIT_RUN,
    EN_NUMBERS,
    EN_WORD,
    JIAO,
    LETTER_LEAD_OK,
    MONEY_DECIMAL,
    MONEY_TALK,
    ONE_ITEM_AFTER,
    ONE_ITEM_BEFORE,
    ONE_ITEM_VERB,
    ORDER_CONTEXT,
    OTHER_NUMBER_BEFORE,
    PARTIAL_BEFORE,
    PHONE,
    PRICE_NAMING,
    QUANTITY,
    QUANTITY_EN,
    QUANTITY_EN_CONTEXT,
    TRACKING_CONTEXT,
    TRACKING_PREFIXED,
)
from graph.nlu.entity_words import Span, attrs, products, products_lexicon
from graph.nlu.numerals import format_number, parse_number

Entity = dict[str, object]
# Entities are looked for in this prefix of a message only (offsets stay valid), to bound latency;
# it matches the service's default message cap (settings.max_message_chars).
MAX_ENTITY_CHARS = 2000


def _tracking(text: str) -> Iterator[Span]:
    for m in TRACKING_PREFIXED.finditer(text):
        value = re.sub(r"[ \-]", "", m.group(1)).upper()
        if 8 <= sum(c.isdigit() for c in value) <= 18 or value[-1].isalpha():
            yield "tracking_no", value, m.start(1), m.end(1)
    for m in TRACKING_CONTEXT.finditer(text):
        yield "tracking_no", m.group(1), m.start(1), m.end(1)


def _ids(text: str) -> Iterator[Span]:
    for m in PHONE.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        if PARTIAL_BEFORE.search(before):
            continue
        digits = re.sub(r"\D", "", m.group(1))
        kind = "order_id" if ORDER_CONTEXT.search(before) and m.group(1).isdigit() else "phone"
        yield kind, digits, m.start(), m.end()
    for pattern in (DIGIT_RUN, DIGIT_GROUPS):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 12) : m.start()]
            digits = re.sub(r"\D", "", m.group(1))
            if (
                PARTIAL_BEFORE.search(before)
                or OTHER_NUMBER_BEFORE.search(before)
                or (before[-1:].isascii() and before[-1:].isalpha() and not LETTER_LEAD_OK.search(before))
            ):
                continue
            # "1500 2000" is two prices: a spaced id has three groups or ten digits
            if pattern is DIGIT_GROUPS and not (
                10 <= len(digits) <= 20
                or (len(digits) >= 8 and m.group(1).count(" ") + m.group(1).count("-") >= 2)
            ):
                continue
            if not PHONE.fullmatch(m.group(1)):
                yield "order_id", digits, m.start(1), m.end(1)


def _amounts(text: str) -> Iterator[Span]:
    for m in AMOUNT_UNIT.finditer(text):
        value = parse_number(m.group(1) or m.group(2))
        end = m.end()
        jiao = JIAO.match(text, end)
        if (
            value is not None
            and jiao
            and (jiao.group(2) or (m.group(3) == "块" and not COUNT_AFTER.match(text, jiao.end())))
        ):
            value += (parse_number(jiao.group(1)) or 0) / 10  # 两块五 = 2.5, 九块九 = 9.9
            end = jiao.end()
        if value is not None:
            yield "amount", format_number(value), m.start(), end
    patterns = [AMOUNT_CONTEXT, AMOUNT_CONTEXT_EN, CN_HUNDREDS, PRICE_NAMING]
    if MONEY_TALK.search(text):
        patterns.append(MONEY_DECIMAL)
    for pattern in patterns:
        for m in pattern.finditer(text):
            value = parse_number(m.group(1))
            if value is not None:
                yield "amount", format_number(value), m.start(1), m.end(1)


def _quantities(text: str) -> Iterator[Span]:
    for m in QUANTITY.finditer(text):
        value = parse_number(m.group(1))
        if m.group(1) in ("一", "壹") and not _counts_one(text, m):
            continue  # "一个订单", "换一个新的": a counting word, not a quantity
        if value is not None and 0 < value < 1000:
            yield "quantity", format_number(value), m.start(), m.end()
    for m in QUANTITY_EN.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        value = EN_NUMBERS.get(word) or (int(word) if word.isdigit() else None)
        if value and value > 1:
            yield "quantity", str(value), m.start(), m.end()
    for m in QUANTITY_EN_CONTEXT.finditer(text):
        for group in (1, 2, 3):
            if m.group(group) and int(m.group(group)) > 0:
                yield "quantity", str(int(m.group(group))), m.start(group), m.end(group)
    goods, _ = products_lexicon()
    for m in COUNT_EN.finditer(text):
        word = m.group(2).lower()
        if not word.isdigit() and not m.group(1):
            continue  # a number word counts only after a verb of ordering ("the two backpacks" compares)
        value = int(word) if word.isdigit() else EN_NUMBERS[word]
        adjective = EN_WORD.match(text, m.end())
        if value and (goods.match(text, m.end()) or (adjective and goods.match(text, adjective.end()))):
            yield "quantity", str(value), m.start(2), m.end(2)


def _counts_one(text: str, m: re.Match[str]) -> bool:
    """Whether 一 + classifier is a count (少发了一件, 再加一件, 一条退掉) rather than an article;
    after 加/换/退/要 only a classifier of goods counts, not 个 or 张 (换一个新的, 要一张发票)."""
    before = text[max(0, m.start() - 4) : m.start()]
    if ONE_ITEM_BEFORE.search(before):
        return True
    if m.group(0).endswith(("个", "张")):  # 另一个没到, 要一张发票: an article, a document
        return False
    return bool(ONE_ITEM_VERB.search(before) or ONE_ITEM_AFTER.match(text, m.end()))


def _addresses(text: str) -> Iterator[Span]:
    for m in ADDRESS.finditer(text):
        start, span = _strip_lead(m.start(), m.group(0))
        region = ADDRESS_REGION.search(span)
        if region and region.start() <= 3 and len(span) >= 6:
            yield "address", span, start, start + len(span)
    for m in ADDRESS_DISTRICT.finditer(text):
        start, span = _strip_lead(m.start(), m.group(0))
        before = text[max(0, m.start() - 6) : m.start()] + text[m.start() : start]
        if ADDRESS_REGION.match(span) and (m.group(1) or DESTINATION_CUE.search(before)):
            yield "address", span, start, m.end()
    for m in ADDRESS_UNIT.finditer(text):
        yield "address", m.group(1), m.start(1), m.end(1)
    for m in ADDRESS_EN.finditer(text):
        yield "address", m.group(0), m.start(), m.end()


def _strip_lead(start: int, span: str) -> tuple[int, str]:
    """The span without the words before the address ("地址改成", "寄到")."""
    while (lead := ADDRESS_LEAD.match(span)) and ADDRESS_REGION.search(span[lead.end() :]):
        start, span = start + lead.end(), span[lead.end() :]
    return start, span


FINDERS: tuple[Callable[[str], Iterator[Span]], ...] = (
    _tracking,
    _ids,
    _addresses,
    _amounts,
    _quantities,
    attrs,
    products,
)


def extract_entities(text: str) -> list[Entity]:
    """Entities of a message: [{type, value, text, start, end}] in text order, non-overlapping."""
    if not text:
        return []
    view = text[:MAX_ENTITY_CHARS]
    taken = bytearray(len(view))  # 1 where a character is in an entity: overlap checks in span time
    found: list[Entity] = []
    for finder in FINDERS:
        spans = sorted(finder(view), key=lambda s: (s[2] - s[3], s[2]))  # longest first
        for kind, value, start, end in spans:
            if start >= end or any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append({"type": kind, "value": value, "text": view[start:end], "start": start, "end": end})
    found.sort(key=lambda e: int(e["start"]))  # type: ignore[call-overload]
    return found
