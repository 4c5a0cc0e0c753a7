"""PII scrubbing of dialogues: mask what can be found reliably, drop the dialogue when it cannot.

Masked: mainland mobile and landline numbers, 18-digit ID-card numbers (checksum and birth date
checked), bank-card numbers (16-19 digits passing Luhn, not introduced as an order number),
e-mail addresses, personal names (surname + 先生/女士/小姐, 我叫/我是/收件人 + a common surname,
"my name is ..."), and street addresses. A dialogue is dropped when a risky pattern stays after
masking: a long digit run that is neither an order number nor masked, or an ID/card keyword followed
by digits that failed validation (a typo'd ID number is still an ID number).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from finetune.dialogues import Dialogue, Turn

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "慕容", "令狐", "皇甫")
_SUR = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{SURNAMES}])"
_ORDER_CUE = re.compile(r"(订单|单号|order|快递|运单|tracking)[^\d]{0,6}$", re.IGNORECASE)
_ID_CUE = re.compile(r"(身份证|证件号|银行卡|卡号|card number|ID number)[^\d]{0,6}$", re.IGNORECASE)

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("id_card", re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")),
    ("bank_card", re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")),
    ("phone", re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")),
    ("landline", re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")),
    (
        "address",
        re.compile(
            r"[\u4e00-\u9fa5]{2,12}?(?:市|区|县)[\u4e00-\u9fa5\d]{0,12}?"
            r"(?:路|街|道|巷|弄|大道)[\d一二三四五六七八九十]{1,5}号(?:\d{1,4}(?:栋|幢|号楼|单元|室|层)){0,4}"
        ),
    ),
    (
        "address",
        re.compile(r"\b\d{1,5} [A-Z][a-z]+(?: [A-Z][a-z]+)* (?:Street|St|Road|Rd|Avenue|Ave|Lane)\b"),
    ),
    ("name", re.compile(_SUR + r"(?:先生|女士|小姐)")),
    (
        "name",
        re.compile(
            r"(?:我叫|我是|收件人[:：]?|收货人[:：]?|联系人[:：]?)(" + _SUR + r"[\u4e00-\u9fa5]{1,2})"
        ),
    ),
    ("name", re.compile(r"(?i)\bmy name is ([A-Z][a-z]+(?: [A-Z][a-z]+)?)")),
]
MASKS = {
    "email": "[EMAIL]",
    "id_card": "[ID]",
    "bank_card": "[CARD]",
    "phone": "[PHONE]",
    "landline": "[PHONE]",
    "address": "[ADDRESS]",
    "name": "[NAME]",
}
_ADDRESS_CUE = re.compile(r".{0,6}(?:地址[是为:：]?|改成|改为|改到|寄到|送到|住在)")
_LONG_DIGITS = re.compile(r"(?<!\d)\d{15,}(?!\d)")


def id_card_valid(number: str) -> bool:
    """Checksum (GB 11643) and birth date check of an 18-character ID-card number."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=False))
    if "10X98765432"[total % 11] != number[17].upper():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def luhn_valid(number: str) -> bool:
    """Luhn check of a digit string (bank cards)."""
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return len(digits) >= 12 and total % 10 == 0


def _accept(kind: str, match: re.Match[str], text: str) -> bool:
    value = match.group(0)
    before = text[max(0, match.start() - 12) : match.start()]
    if kind == "id_card":
        return id_card_valid(value)
    if kind == "bank_card":
        return luhn_valid(value) and not _ORDER_CUE.search(before)
    return True


def mask_text(text: str) -> tuple[str, Counter[str]]:
    """Mask the PII this module recognises; returns the new text and counts by kind."""
    counts: Counter[str] = Counter()
    for kind, pattern in PATTERNS:

        def repl(m: re.Match[str], kind: str = kind, src: str = text) -> str:
            if not _accept(kind, m, src):
                return m.group(0)
            counts[kind] += 1
            if m.groups() and m.group(1):  # keep the cue words (我叫), mask the captured name only
                return m.group(0).replace(m.group(1), MASKS[kind])
            cue = _ADDRESS_CUE.match(m.group(0)) if kind == "address" else None
            return (cue.group(0) if cue else "") + MASKS[kind]

        text = pattern.sub(repl, text)
    return text, counts


def unsafe_reason(masked: str) -> str | None:
    """Why a masked text may still hold PII (None when it looks safe)."""
    for m in _LONG_DIGITS.finditer(masked):
        before = masked[max(0, m.start() - 12) : m.start()]
        if not _ORDER_CUE.search(before):
            return "unexplained long digit run"
    for m in re.finditer(r"\d{6,}[\dXx]?", masked):
        if _ID_CUE.search(masked[max(0, m.start() - 12) : m.start()]):
            return "identity/card number that failed validation"
    return None


@dataclass
class ScrubReport:
    """What scrubbing did to a batch of dialogues."""

    total: int = 0
    dropped: int = 0
    masked: Counter[str] = field(default_factory=Counter)
    drop_reasons: Counter[str] = field(default_factory=Counter)
    dropped_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary with the dropped share."""
        return {
            "total": self.total,
            "dropped": self.dropped,
            "dropped_share": round(self.dropped / self.total, 4) if self.total else 0.0,
            "masked": dict(self.masked),
            "drop_reasons": dict(self.drop_reasons),
            "dropped_ids": self.dropped_ids[:50],
        }


def scrub_dialogues(dialogues: list[Dialogue]) -> tuple[list[Dialogue], ScrubReport]:
    """Masked copies of the dialogues that are safe to keep, and a report of the rest."""
    report = ScrubReport(total=len(dialogues))
    kept: list[Dialogue] = []
    for d in dialogues:
        turns: list[Turn] = []
        reason = None
        for t in d.turns:
            masked, counts = mask_text(t.text)
            report.masked.update(counts)
            reason = reason or unsafe_reason(masked)
            turns.append(Turn(**{**t.__dict__, "text": masked}))
        if reason:
            report.dropped += 1
            report.drop_reasons[reason] += 1
            report.dropped_ids.append(d.id)
            continue
        kept.append(Dialogue(**{**d.__dict__, "turns": turns}))
    return kept, report
