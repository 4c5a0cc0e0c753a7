"""Times of day in what customers and policies write: "下午4点", "16:00前", "4 p.m.", "19:00-21:30".

A cut-off ("15:00前付款的当天发出") is a case of the day's hours; the customer's time ("下午4点付款的")
picks its side. Hours since midnight; a time before the cut-off is [0, cut-off), after it [cut-off, 24].
"""

from __future__ import annotations

import re

from graph.generation.numbers import cn_to_int

_CLOCK = re.compile(
    r"(?P<ap>上午|早上|早晨|中午|下午|傍晚|晚上|夜里|凌晨)?\s*(?<![\d:.])(?P<h>[01]?\d|2[0-3]|[一二两三四五六七八九十]{1,3})"
    r"(?::(?P<m>[0-5]\d)|点(?:(?P<m2>[0-5]?\d)分?|(?P<half>半))?)?(?![\d:])\s*(?P<pm>[ap]\.?m\.?(?![a-z]))?"
    r"(?:\s*(?P<side>之前|以前|前|之后|以后|后|before|after|by))?", re.I)
"""A time of day ("下午4点", "16:00前", "4pm") as hours since midnight; "前" / "before" bounds it from above."""
_LATE = ("下午", "傍晚", "晚上", "夜里")
_CLOCK_SPAN = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)\s*(?:-|~|～|至|到|—)\s*([01]?\d|2[0-4]):([0-5]\d)")


def clock_times(text: str, qualified_only: bool = False) -> list[tuple[float, float]]:
    """Times of day in hours: a point, or the part of the day before / after it ("15:00前" -> [0, 15))."""
    out = []
    for span in _CLOCK_SPAN.finditer(text):  # "19:00-21:30": a slot of the day, a cut-off's side is the case
        low, high = (int(span.group(i)) + int(span.group(i + 1)) / 60 for i in (1, 3))
        if not qualified_only:
            out.append((low, high))
    text = _CLOCK_SPAN.sub(" ", text)
    for m in _CLOCK.finditer(text):
        if not (m.group("m") or "点" in m.group(0) or m.group("pm")):
            continue  # a bare number is no time of day
        raw = m.group("h")
        hour = float(raw) if raw.isdigit() else cn_to_int(raw)
        if hour is None or hour > 24:
            continue
        minutes = float(m.group("m") or m.group("m2") or (30 if m.group("half") else 0))
        pm = (m.group("pm") or "").lower().startswith("p")
        if (m.group("ap") in _LATE or pm) and hour < 12:
            hour += 12
        at = hour + minutes / 60
        side = (m.group("side") or "").lower()
        if side in ("之前", "以前", "前", "before", "by"):
            out.append((0.0, at - 0.01))
        elif side:
            out.append((at, 24.0))
        elif not qualified_only:
            out.append((at, at))
    return out
