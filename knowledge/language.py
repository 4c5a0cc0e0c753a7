"""The project's one language guesser: every package that asks "what language is this?" asks here.

It sits in `knowledge`, the bottom package, so the NLU, the composer, the search, the data pipeline
and the evaluations all read the same rules. Codes, sizes and units written in Latin letters
(SF123..., XL, GB) do not make a message mixed; real English words do.
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_LATIN_RUN = re.compile(r"[A-Za-z]{2,}")
# Scripts kefu does not serve: kana, hangul, cyrillic, arabic, thai, devanagari, hebrew, greek.
_FOREIGN = re.compile(
    r"[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f\u0900-\u097f"
    r"\u0590-\u05ff\u0370-\u03ff]"
)
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z']*(?![A-Za-z0-9])")
# Latin tokens that appear in plain Chinese messages without being English.
NOT_ENGLISH = {
    "xs",
    "s",
    "m",
    "l",
    "xl",
    "xxl",
    "xxxl",
    "g",
    "gb",
    "tb",
    "kg",
    "cm",
    "mm",
    "ml",
    "sf",
    "jd",
    "ems",
    "app",
    "vip",
    "plus",
    "pro",
    "max",
    "mini",
    "wifi",
    "id",
    "diy",
    "ps",
    "rmb",
    "qq",
    "a",
    "b",
    "c",
    "t",
    "iphone",
    "ipad",
    "airpods",
    "macbook",
    "kindle",
    "switch",
    "usb",
    "led",
    "emmm",
    "hh",
    "hhh",
}


def detect_language(text: str) -> str:
    """'zh' (Chinese script), 'en' (no Chinese script) or 'mixed' (Chinese with English words).

    Empty text counts as 'zh', the shop's main language; other scripts without Chinese characters
    (Arabic, Cyrillic, emoji only) count as 'en'.
    """
    if not text.strip():
        return "zh"
    cjk = len(CJK.findall(text))
    if cjk == 0:
        return "en"
    words = [w for w in LATIN_WORD.findall(text) if w.lower() not in NOT_ENGLISH]
    if not words:
        return "zh"
    return "mixed"


def served_language(text: str) -> str:
    """`detect_language`, or 'unsupported' when another script dominates (Japanese, Russian...) and
    'unknown' when the text has no letters at all (the data pipeline drops both)."""
    han = len(_HAN.findall(text))
    foreign = len(_FOREIGN.findall(text))
    if foreign and foreign >= max(han, 1) * 0.3:
        return "unsupported"
    if han == 0 and not _LATIN_RUN.search(text):
        return "unknown"
    return detect_language(text)


def is_cjk_text(text: str) -> bool:
    """True when most letters of `text` are Chinese characters (an English word weighs like a character)."""
    han = len(_HAN.findall(text))
    latin = sum(len(w) for w in _LATIN_RUN.findall(text)) / 4
    return han > 0 and han >= latin


def is_english(text: str) -> bool:
    """True when a text is written mostly in Latin letters (an English search query)."""
    latin = len(_LATIN_LETTER.findall(text))
    return latin > 3 * len(_HAN.findall(text)) and latin >= 3
