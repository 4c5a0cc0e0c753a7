"""Whether a clause's case says yes where the customer said no, and the other way round.

Shops name their cases by what did or did not happen: "未拆封商品" / "已拆封的护肤品", "无运费险" /
"含运费险", "仅有患处照片，无诊断证明" / "医院的诊断证明". A customer says it in other words ("拆开试了一次",
"没买运费险", "没去医院"). Words shared with the question do not tell these cases apart; whether each side
negates them does: a character the customer negates that the case affirms (or the reverse) is a conflict,
one both negate an agreement.

Chinese only (the cases are written in the policy's language; an English question reaches a Chinese clause by
meaning, not by characters). Shop-independent: the negation words are the language's.
"""

from __future__ import annotations

import re
from functools import lru_cache

SCOPE = 4
"""Characters after a negation word that it governs ("没去医院", "无诊断证明")."""
_NEGATION = re.compile(r"没有|没|未|无|不|非|别")
_COMPARATOR = re.compile(r"不到|不足|不满|不超过|未满|未超过|不少于|不低于|不高于|不多于|无门槛")
"""Bounds of a quantity ("漏液不到三分之一", "不满99元"): the conditions module compares them, they negate nothing."""
_FUNCTION = set("的了吗呢啊吧呀哦嘛么我你您他她它们是在有这那就都还要会能可以和与或也很太给让把被个一想过已再又")
_STOP = re.compile(r"[^\u3400-\u9fff]")
_ASKING_NOT = re.compile(r"(?<=(.))不(?=\1)|不(?=[\s，,。？?！!]|$)")
"""A "不" that asks ("能退不", "要不要", "扣不扣钱"), not one that negates."""


@lru_cache(maxsize=16384)
def sides(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(negated, affirmed): the content characters of `text` inside a negation's scope, and the others."""
    text = text or ""
    negated_at: set[int] = set()
    asking = {m.start() for m in _ASKING_NOT.finditer(text)}
    bounds = {m.start() for m in _COMPARATOR.finditer(text)}
    for m in _NEGATION.finditer(text):
        if m.start() in bounds or (m.group(0) == "不" and m.start() in asking):
            continue
        i, taken = m.end(), 0
        while i < len(text) and taken < SCOPE and not _STOP.match(text[i]):
            if not _NEGATION.match(text[i]):
                negated_at.add(i)
            taken += 1
            i += 1
    negated: set[str] = set()
    affirmed: set[str] = set()
    for i, ch in enumerate(text):
        if _STOP.match(ch) or ch in _FUNCTION or _NEGATION.match(ch):
            continue
        (negated if i in negated_at else affirmed).add(ch)
    return frozenset(negated), frozenset(affirmed - negated)


def polarity(question: str, case: str, contested: frozenset[str] = frozenset()) -> int:
    """Agreements less conflicts between what the question and the case negate (0: nothing to tell). A
    character in `contested` (one that another case of the same rule negates: "未拆封" beside "已拆封") agrees
    when both affirm it too."""
    q_neg, q_aff = sides(question)
    c_neg, c_aff = sides(case)
    if not (q_neg or c_neg or contested):
        return 0
    conflicts = len(q_neg & c_aff) + len(q_aff & c_neg)
    return len(q_neg & c_neg) + len(q_aff & c_aff & contested) - conflicts


def contested(cases: list[str]) -> list[frozenset[str]]:
    """For each case, the characters it affirms that another case negates."""
    split = [sides(c) for c in cases]
    out = []
    for i, (_, affirmed) in enumerate(split):
        others = set().union(*(neg for j, (neg, _) in enumerate(split) if j != i)) if len(split) > 1 else set()
        out.append(frozenset(affirmed & others))
    return out
