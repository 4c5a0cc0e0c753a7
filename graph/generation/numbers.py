"""Find the figures of a text (numbers with their kind of unit), Chinese and English numerals included.

`七天` and `7天` give the same fact ("7", "day"); `¥12`, `12元` and `12 yuan` give ("12", "money");
`百分之十` and `10%` give ("10", "percent"). The grounding check compares these facts.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from graph.generation.text import normalise

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇一二两三四五六七八九十百千万"

_EN_NUMS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}

# unit text -> kind; longest first so that 个工作日 wins over 日
_UNITS: dict[str, str] = {
    "个工作日": "day", "工作日": "day", "working days": "day", "working day": "day",
    "business days": "day", "business day": "day", "天": "day", "日": "day", "days": "day", "day": "day",
    "个小时": "hour", "小时": "hour", "hours": "hour", "hour": "hour", "hrs": "hour", "h": "hour",
    "分钟": "minute", "minutes": "minute", "min": "minute",
    "个月": "month", "月": "month", "months": "month", "month": "month",
    "周": "week", "星期": "week", "weeks": "week", "week": "week", "年": "year", "years": "year",
    "元": "money", "块钱": "money", "块": "money", "yuan": "money", "rmb": "money", "cny": "money",
    "%": "percent", "percent": "percent", "次": "count", "件": "count", "times": "count",
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_RANGE = r"\s*(?:-|~|～|至|到|—|–|to)\s*"
# kinds a bare Chinese numeral must carry to count (一 alone is too common: 一下, 一次性)
_CN_KINDS = {"day", "hour", "minute", "month", "week", "year", "money", "percent"}

_ARABIC = re.compile(
    rf"(?P<cur>[¥￥$]\s*)?(?P<a>\d+(?:\.\d+)?)(?:{_RANGE}(?P<b>\d+(?:\.\d+)?))?\s*(?P<unit>{_UNIT_RE})?(?![a-z])",
    re.IGNORECASE,
)
_CHINESE = re.compile(rf"(?P<pct>百分之)?(?P<a>[{_CN_NUM}]+)(?:{_RANGE}(?P<b>[{_CN_NUM}]+))?\s*(?P<unit>{_UNIT_RE})?")
_ENGLISH = re.compile(
    rf"\b(?P<a>(?:{'|'.join(_EN_NUMS)})(?:[- ](?:{'|'.join(_EN_NUMS)}))?)\s+(?P<unit>{_UNIT_RE})\b", re.IGNORECASE
)
_LIST_MARKER = re.compile(r"(?m)^\s*\d{1,2}[.)、]\s+")


class Fact(NamedTuple):
    """One figure: its canonical value ('7', '49.9') and kind ('day', 'money', ... or None)."""

    value: str
    kind: str | None


def cn_to_int(text: str) -> int | None:
    """Chinese numeral to int: 七 -> 7, 十五 -> 15, 四十八 -> 48, 一百八十 -> 180, 两万 -> 20000."""
    if not text or any(ch not in _CN_NUM for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch] if digit is None else digit * 10 + _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def _en_to_int(text: str) -> int | None:
    parts = re.split(r"[- ]", text.lower())
    values = [_EN_NUMS.get(p) for p in parts]
    if any(v is None for v in values):
        return None
    if len(values) == 2 and values[1] == 100:
        return values[0] * 100  # type: ignore[operator]
    return sum(values)  # type: ignore[arg-type]


def _canon(value: str | int) -> str | None:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    text = format(number.normalize(), "f")
    return text


def _kind(unit: str | None, currency: bool = False) -> str | None:
    if currency:
        return "money"
    return _UNITS.get(unit.lower()) if unit else None


def extract_facts(text: str) -> set[Fact]:
    """All figures of `text` (list markers such as '1. ' at a line start are not figures)."""
    text = normalise_for_numbers(_LIST_MARKER.sub("", text or ""))
    facts: set[Fact] = set()
    for m in _ARABIC.finditer(text):
        kind = _kind(m.group("unit"), bool(m.group("cur")))
        for raw in (m.group("a"), m.group("b")):
            if raw and (value := _canon(raw)) is not None:
                facts.add(Fact(value, kind))
    for m in _CHINESE.finditer(text):
        kind = "percent" if m.group("pct") else _kind(m.group("unit"))
        if kind not in _CN_KINDS:
            continue
        for raw in (m.group("a"), m.group("b")):
            if raw and (number := cn_to_int(raw)) is not None:
                facts.add(Fact(str(number), kind))
    for m in _ENGLISH.finditer(text):
        number = _en_to_int(m.group("a"))
        if number is not None:
            facts.add(Fact(str(number), _kind(m.group("unit"))))
    return facts


def normalise_for_numbers(text: str) -> str:
    """NFKC plus thousands separators removed (1,299 -> 1299)."""
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", normalise(text))


def ungrounded_facts(reply: str, sources: list[str]) -> list[Fact]:
    """Facts of `reply` that no source states (same value, and same kind when both name one)."""
    known: set[Fact] = set()
    for source in sources:
        known |= extract_facts(source)
    by_value: dict[str, set[str | None]] = {}
    for fact in known:
        by_value.setdefault(fact.value, set()).add(fact.kind)
    missing = []
    for fact in sorted(extract_facts(reply)):
        kinds = by_value.get(fact.value)
        if kinds is None or (fact.kind is not None and fact.kind not in kinds and None not in kinds):
            missing.append(fact)
    return missing


class Figure(NamedTuple):
    """A figure as written ('1-3个工作日'): its low and high values, unit text and kind."""

    text: str
    low: str
    high: str | None
    unit: str
    kind: str


def figure_spans(text: str, kinds: set[str] | None = None) -> list[Figure]:
    """Figures with a unit, in reading order (Arabic and Chinese numerals), optionally of some kinds."""
    text = normalise_for_numbers(text)
    found: list[tuple[int, Figure]] = []
    for m in list(_ARABIC.finditer(text)) + list(_CHINESE.finditer(text)):
        groups = m.groupdict()
        unit = groups.get("unit") or ("%" if groups.get("pct") else "元" if groups.get("cur") else "")
        kind = _kind(unit) if unit else None
        if kind is None or (kinds and kind not in kinds):
            continue
        low = _canon(m.group("a")) if m.group("a")[0].isdigit() else str(cn_to_int(m.group("a")))
        high_raw = m.group("b")
        high = None if not high_raw else (_canon(high_raw) if high_raw[0].isdigit() else str(cn_to_int(high_raw)))
        if low in (None, "None") or (m.re is _CHINESE and kind not in _CN_KINDS):
            continue
        found.append((m.start(), Figure(m.group(0).strip(), low, high, unit, kind)))
    found.sort(key=lambda item: item[0])
    return [f for _, f in found]
