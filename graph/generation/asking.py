"""What a question asks for beyond its words: a list ("能约哪些时间段"), and the characters of its words
written with one between them ("时间段" / "时段", "发新的" / "发出新货")."""

from __future__ import annotations

import re

from graph.generation.clauses import Clause
from graph.generation.narrowing import FIGURE
from graph.generation.text import normalise

_ASKS_LIST = re.compile(r"哪些|哪几|几种|几类|几档|有什么")
"""A question asking which ones ("能约哪些时间段") is answered by the list that names what it asks for."""
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{3,}")


def skip_bigrams(text: str) -> set[str]:
    """Pairs of Chinese characters with one between them: a customer's word often holds the policy's
    with a character more ("时间段" / "时段")."""
    return {run[i] + run[i + 2] for run in _CJK_RUN.findall(normalise(text)) for i in range(len(run) - 2)}


def asked_for(question: str) -> set[str]:
    """The terms of what a which-ones question asks for ("有哪几个等级" -> 等级), empty for another question."""
    match = _ASKS_LIST.search(question)
    if not match:
        return set()
    noun = re.match(r"[个种类档些]?([\u3400-\u9fff]{2,4})", normalise(question)[match.end():])
    if not noun:
        return set()
    word = noun.group(1)
    return {word[i:i + 2] for i in range(len(word) - 1)} | skip_bigrams(word)


def asked_list(question: str, clauses: list[Clause], best: Clause) -> Clause | None:
    """The first item of the list of `best`'s policy whose heading or lead names what a which-ones question
    asks for ("哪些时间段": the list under "可选时段"), the one whose items state figures first; None when
    the question asks no list, no list names it, or `best` is already in that list."""
    asked = asked_for(question)
    if not asked:
        return None
    groups: dict[int, list[Clause]] = {}
    for c in clauses:
        if c.passage_rank == best.passage_rank and c.group >= 0:
            groups.setdefault(c.group, []).append(c)
    fits = []
    for items in groups.values():
        named = sum(1 for t in asked if t in f"{items[0].heading} {items[0].context}".lower())
        if named and len(items) > 1:
            figures = sum(1 for c in items if FIGURE.search(c.text)) / len(items)
            fits.append((named + figures, items[0]))
    if not fits:
        return None
    top = max(fits, key=lambda f: f[0])[1]
    return None if best.group == top.group else top
