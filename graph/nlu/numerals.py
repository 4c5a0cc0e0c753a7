"""Chinese numerals to numbers: 两百 -> 200, 一百五 -> 150, 三十五 -> 35, 1.5万 -> 15000.

Customers write amounts and quantities in Chinese numerals as often as in digits, so the entity
normalisers need both. Only well-formed numerals are converted; anything else gives None.
"""

from __future__ import annotations

import re

DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

CN_DIGIT_CHARS = "".join(DIGITS)
CN_NUM_CHARS = CN_DIGIT_CHARS + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
# A number as customers write it: digits (optionally with a decimal part and a 万/千 suffix) or
# a run of Chinese numeral characters.
NUMBER_PATTERN = rf"(?:\d+(?:\.\d+)?[万千kK]?|[{CN_NUM_CHARS}]+)"
# A Chinese numeral with a unit character (八十, 两百九, 一千二): unlike a bare 一 or 三, it reads as a
# number even without a following unit. Atomic, so a rejected 一百二 never falls back to 一百.
CN_SCALED_PATTERN = rf"(?>[{CN_NUM_CHARS}]*[十拾百佰千仟万萬][{CN_NUM_CHARS}]*)"


def _parse_section(text: str) -> int | None:
    """Value of a numeral below 10,000 (no 万/亿), including the colloquial 一百五 = 150."""
    total, digit, last_unit = 0, None, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0 and digit != 0:
                return None  # two digits in a row ("一二") is not a numeral here
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit:
        # 一百五 means 150: a trailing digit after a unit scales to the next lower unit.
        total += digit * (last_unit // 10 if last_unit and text[-2] not in "零〇" else 1)
    return total


def parse_chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral such as 两百, 三十五, 一千零五十, 一万二; None if not one."""
    if not text:
        return None
    if all(ch in DIGITS for ch in text) and len(text) > 1:
        # digit-by-digit reading (一二三 = 123), used for ids read aloud
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, rest = 0, text
    for big_char, big in sorted(BIG_UNITS.items(), key=lambda kv: -kv[1]):
        if big_char in rest:
            head, rest = rest.split(big_char, 1)
            head_val = _parse_section(head) if head else 1
            if head_val is None:
                return None
            total += head_val * big
            if rest and rest[0] not in "零〇" and all(c in DIGITS for c in rest) and len(rest) == 1:
                return total + DIGITS[rest] * big // 10  # 一万二 = 12000
    if rest:
        section = _parse_section(rest)
        if section is None:
            return None
        total += section
    return total


def parse_number(text: str) -> float | None:
    """Value of digits ('49.9', '1.5万', '2k') or a Chinese numeral; None if neither."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([万千kK]?)", text)
    if match:
        scale = {"万": 10_000, "千": 1000, "k": 1000, "K": 1000, "": 1}[match.group(2)]
        return float(match.group(1)) * scale
    value = parse_chinese_numeral(text)
    return None if value is None else float(value)


def format_number(value: float) -> str:
    """A number as a decimal string without a useless fraction: 200.0 -> '200', 49.90 -> '49.9'."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")
