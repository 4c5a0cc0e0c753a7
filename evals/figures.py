"""Figures in a reply (amounts, days, hours, percentages, ids) and whether two replies agree on them.

The replay suite compares the figures a human agent stated with kefu's reply to the same customer
turn: a figure kefu also states agrees; one it does not state is missing; one where kefu states a
different figure of the same unit (15天 where the agent said 7天) is contradicted. Only figures
with a unit (or a ¥ sign) and long ids count: a bare number means too many things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = r"[零一二两三四五六七八九十百]+"
_NUMBER = rf"(?:\d+(?:\.\d+)?|{_CN_NUMBER})"
UNITS: dict[str, str] = {
    "个工作日": "工作日", "工作日": "工作日", "business days": "工作日", "working days": "工作日",
    "天": "天", "days": "天", "day": "天",
    "个小时": "小时", "小时": "小时", "hours": "小时", "hour": "小时",
    "分钟": "分钟", "minutes": "分钟",
    "元": "元", "块钱": "元", "块": "元", "yuan": "元", "rmb": "元",
    "%": "%", "％": "%", "折": "折",
    "个月": "月", "months": "月",
}
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_WITH_UNIT = re.compile(rf"(?<![\d.])({_NUMBER}(?:\s*(?:-|~|～|至|到)\s*{_NUMBER})?)\s*({_UNIT})", re.IGNORECASE)
_MONEY = re.compile(r"[¥￥]\s*(\d+(?:\.\d+)?)")
_ID = re.compile(r"(?<![0-9A-Za-z])([A-Za-z]{0,4}\d{8,20})(?![0-9A-Za-z])")


@dataclass(frozen=True)
class Figure:
    """One figure: its value (digits, a range written a-b, or an id) and its unit ("id" for ids)."""

    value: str
    unit: str

    def __str__(self) -> str:
        return self.value if self.unit == "id" else f"{self.value}{self.unit}"


@dataclass
class FigureCheck:
    """The agent's figures of one turn, sorted by what kefu's reply did with them."""

    agreed: list[Figure] = field(default_factory=list)
    missing: list[Figure] = field(default_factory=list)
    contradicted: list[tuple[Figure, list[Figure]]] = field(default_factory=list)
    """(the agent's figure, kefu's figures of the same unit)"""

    @property
    def total(self) -> int:
        return len(self.agreed) + len(self.missing) + len(self.contradicted)

    def to_json(self) -> dict[str, list[str]]:
        return {
            "agreed": [str(f) for f in self.agreed],
            "missing": [str(f) for f in self.missing],
            "contradicted": [f"{f} (kefu: {', '.join(map(str, said))})" for f, said in self.contradicted],
        }


def cn_number(text: str) -> str:
    """A Chinese numeral below 1000 as digits (七 -> 7, 十五 -> 15, 二十四 -> 24); other text unchanged."""
    if not re.fullmatch(_CN_NUMBER, text):
        return text
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return str(total + current)


def _value(raw: str) -> str:
    parts = re.split(r"\s*(?:-|~|～|至|到)\s*", raw.strip())
    numbers = [cn_number(p) for p in parts if p]
    return "-".join(n.rstrip("0").rstrip(".") if "." in n else n for n in numbers)


def figures(text: str) -> list[Figure]:
    """Every figure of a text, in order, each once."""
    found: list[Figure] = []
    for match in _WITH_UNIT.finditer(text):
        found.append(Figure(_value(match.group(1)), UNITS[match.group(2).lower()]))
    for match in _MONEY.finditer(text):
        found.append(Figure(_value(match.group(1)), "元"))
    for match in _ID.finditer(text):
        found.append(Figure(match.group(1).upper(), "id"))
    return list(dict.fromkeys(found))


def _covers(said: Figure, wanted: Figure) -> bool:
    """The same figure, or a range of kefu's that has the agent's number as one end (or the other way)."""
    if said.unit != wanted.unit:
        return False
    if said.value == wanted.value:
        return True
    return wanted.value in said.value.split("-") or said.value in wanted.value.split("-")


def compare_figures(agent: str, kefu: str) -> FigureCheck:
    """How kefu's reply stands to each figure the agent stated.

    A kefu figure that agrees with one of the agent's figures is no rival to the agent's others: when
    the agent says 7天 and 15天 and kefu only 7天, the 15天 is missing, not contradicted."""
    check = FigureCheck()
    kefu_figures = figures(kefu)
    stated = figures(agent)
    used = {said for said in kefu_figures for figure in stated if _covers(said, figure)}
    for figure in stated:
        if any(_covers(said, figure) for said in kefu_figures):
            check.agreed.append(figure)
            continue
        rivals = [f for f in kefu_figures if f.unit == figure.unit and figure.unit != "id" and f not in used]
        if rivals:
            check.contradicted.append((figure, rivals))
        else:
            check.missing.append(figure)
    return check
