"""Errands only a person can run, asked of kefu outright: resend a missing or broken item, send a return
label, chase the courier, keep the customer posted or call them back.

kefu has no tool for any of these, so an "OK" or "noted" arranges nothing. `person_task(text)` names the
errand a message asks for (or None); the escalation rules (graph/escalation.py) open a ticket for it, or
add it to the open one, and the handoff node says what will be done ("补发已经记在工单里…").

A question about whether the shop does it ("能补发吗", "do you resend?") is a rule question, answered from
the policies; a request with "帮我/给我/麻烦/please/can you" in front is an errand even when it ends in "吗".
Word lists are data; matching is on the message as typed.
"""

from __future__ import annotations

import re
from typing import Literal

PersonTask = Literal["resend", "label", "pickup", "chase", "notify", "callback"]

_FOR_ME = r"(?:帮我|给我|替我|帮忙|麻烦(?:你|您)?|你们?(?:就|先)?|那就|就|直接|赶紧|快点|尽快)"
_TASKS: tuple[tuple[PersonTask, re.Pattern[str]], ...] = (
    ("resend", re.compile(
        _FOR_ME + r"[^，。,.!！?？]{0,4}(?:补发|重发|重新发|再发|补寄|重寄|再寄)|"
        r"^(?:那就|那|就)?(?:补发|重发|重新发|再发)[^？?吗]{0,8}(?:吧|就行|就好|可以了|$)|补发[一两二三四五六\d]+[个件只双盒]|"
        r"\b(?:please |just |can you |could you )?(?:re-?send|re-?ship|send (?:me )?(?:a |the )?(?:new one|replacement|"
        r"missing (?:one|item|part)|other one))\b", re.I)),
    ("label", re.compile(
        r"(?:发|给|寄)(?:我|一下|个)?[^，。,.!！]{0,4}(?:面单|运单|退货单|寄件码|退货标签)|"
        r"\bsend (?:me )?(?:the |a )?(?:return |shipping |prepaid )?label\b|\b(?:email|give) me (?:the |a )?"
        r"(?:return |shipping )?label\b", re.I)),
    ("pickup", re.compile(
        r"(?:安排|预约|帮我(?:约|叫)?|麻烦)[^，。,.!！]{0,3}(?:上门取件|上门取货|快递上门|来取件|取件)|"
        r"\b(?:arrange|schedule|book|send someone for) (?:a |the )?pick-?up\b|\bpick (?:it|them) up from me\b", re.I)),
    ("chase", re.compile(
        _FOR_ME + r"[^，。,.!！]{0,3}(?:催(?:一下|一催|催)?(?:快递|物流|派送|送货)|联系(?:一下)?快递)|"
        r"\b(?:chase|contact|call) (?:the )?(?:courier|carrier|delivery company)\b", re.I)),
    ("callback", re.compile(
        r"(?:给我|帮我|请|麻烦)回(?:个)?电话|打(?:个)?电话给我|给我打(?:个)?电话|"
        r"(?<!n't )(?<!dont )(?<!not )\b(?:call me(?: back)?|give me a call)\b", re.I)),
    ("notify", re.compile(
        r"有(?:消息|结果|进展|update|更新)[^，。,.!！]{0,4}(?:告诉|通知|联系|说一声|回复)|(?:记得|请|麻烦|到时|及时)(?:通知|告知|告诉)我|"
        r"等你(?:们)?(?:的)?(?:消息|回复|通知)|(?:给|跟|和)我说一声|(?:告诉|通知)我一声|"
        r"^(?:那|那我|行 ?那|好 ?那)?等(?!快递)[^，。,.!！]{0,3}(?:的)?(?:电话|回电|通知)$|"
        r"\b(?:keep me (?:posted|updated|informed)|let me know (?:when|if|once)|update me|notify me)\b", re.I)),
)
_PLEASE = re.compile(r"帮我|给我|替我|麻烦|\b(?:please|can you|could you)\b", re.I)
_QUESTION = re.compile(r"[?？]|吗|么|多久|多长|几天|什么时候|怎么|为什么|为啥|是不是|会不会|有没有|"
                       r"\b(?:how|when|what|why|do you|does|will)\b", re.I)
_CLAUSE = re.compile(r"[，,。!！?？;；~]+|\s{1,}(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+")
_EITHER = re.compile(r"还是|或者|要是|如果|万一|\b(?:or|if)\b", re.I)  # "补发还是退钱", "要是丢了给我重新发…": asked
_DECLINED = re.compile(r"不(?:用|要|需要)[^，。,.!！]{0,3}(?:补发|重发|回电|电话|通知)|"
                       r"\b(?:no need to|don'?t(?: want (?:you|anyone) to)?) (?:call|resend|re-?ship)\b", re.I)


def person_task(text: str) -> PersonTask | None:
    """The errand only a person can run that this message asks for, or None ("行 那就补发吧" -> resend,
    "ok, send me the label please" -> label, "有消息告诉我" -> notify); a question whether the shop does
    it, or an errand declined ("不用补发"), is none."""
    text = (text or "").strip()
    if not text or _DECLINED.search(text):
        return None
    for clause in _CLAUSE.split(text):  # "补发吧 能包好一点吗": the demand in one clause, a question in another
        # "补发要多久" asks; "能给我补发吗" asks kefu to do it; a which-way or what-if ("补发还是退钱") asks
        if not clause or _EITHER.search(text) or _QUESTION.search(clause) and not _PLEASE.search(clause):
            continue
        task = next((name for name, pattern in _TASKS if pattern.search(clause)), None)
        if task:
            return task
    return None
