"""Language of a message: zh, en or mixed (Chinese with English words code-switched in).

Codes, sizes and units written in Latin letters (SF123..., XL, GB) do not make a message mixed;
real English words do.
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
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
