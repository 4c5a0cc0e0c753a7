"""Conversation-quality metrics over replayed customer turns: pure functions, no I/O.

A replayed conversation is the list of turn JSONs kefu answered (`/api/chat`), each with the customer's
`message` added. The metrics read the reply text the way a shopper reads it, and the turn JSON's
`handoff` and `actions` for what kefu did:

- `identical_consecutive`: turns whose reply is word for word the previous reply;
- `asks`: what a reply asks the shopper for (the order, a phone, an address, which of two readings...);
- `loops`: conversations that ask for the same information three times without having escalated;
- `cannot_help`: replies that say there is no rule or that kefu cannot help;
- `stuck` / `escalated_when_stuck`: conversations that got stuck (the same ask twice, two "cannot help"
  replies, or the shopper asking for a human) and whether a human was then brought in or offered.

Used by `python -m evals.bench_conversation` and reusable by any replay suite.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

Turn = dict[str, Any]
"""One replayed turn: the turn JSON of /api/chat plus `message` (what the shopper sent)."""

_SPACE = re.compile(r"[\s\W_]+", re.U)
_ASK_CUE = re.compile(r"请(?!人工)|麻烦|告诉|提供|发给|发一下|发我|选|哪|吗|？|\?|"
                      r"\b(?:which|please|could you|can you|send)\b", re.I)
ASK_PATTERNS: dict[str, re.Pattern[str]] = {
    "order_id": re.compile(r"哪一?[笔个单张]订单|订单号|\border (?:number|id)\b|\bwhich order\b", re.I),
    "phone": re.compile(r"手机号|电话号码|\bphone number\b", re.I),
    "address": re.compile(r"收货地址|新地址|\b(?:new |delivery )?address\b", re.I),
    "tracking_no": re.compile(r"快递单号|运单号|\btracking number\b", re.I),
    "invoice_title": re.compile(r"发票抬头|\binvoice title\b", re.I),
    "tax_id": re.compile(r"税号|\btax id\b", re.I),
    "photo": re.compile(r"照片|图片|拍照|\bphotos?\b|\bpictures?\b", re.I),
}
"""What a reply may ask for, by the words a shopper reads (a request cue must be there too)."""
CANNOT_HELP = re.compile(
    r"帮不上|无法帮您|不能帮您|没有(?:找到|查到)[^。，]{0,6}(?:政策|规定|依据)|没有相关(?:政策|规定)|暂时无法回答|"
    r"\b(?:can'?t|cannot|unable to) help\b|\bcould(?: not|n'?t) find (?:a|any) (?:shop )?(?:policy|rule)\b|"
    r"\bno (?:clear )?(?:policy|rule)\b",
    re.I,
)
HUMAN_OFFER = re.compile(r"转人工|转接人工|人工客服|\bhuman agent\b|\bget you a human\b|\bagent\b", re.I)
HUMAN_ASK = re.compile(r"人工|真人|活人|\bhuman\b|\b(?:real|live) (?:person|agent)\b|\bspeak to (?:an? )?agent\b",
                       re.I)


def norm(text: str) -> str:
    """The reply as compared for "word for word the same": case, spaces and punctuation ignored."""
    return _SPACE.sub("", (text or "").lower())


def reply_of(turn: Turn) -> str:
    return str(turn.get("reply") or "")


def handed_off(turn: Turn) -> bool:
    handoff = turn.get("handoff")
    return bool(handoff.get("active")) if isinstance(handoff, dict) else False


def identical_consecutive(turns: Sequence[Turn]) -> int:
    """Turns whose (non-empty) reply is the same as the reply just before it."""
    replies = [norm(reply_of(t)) for t in turns]
    return sum(1 for a, b in zip(replies, replies[1:], strict=False) if b and a == b)


def asks(turn: Turn) -> set[str]:
    """The information this reply asks the shopper for: from its words, and from a need_slot action."""
    found: set[str] = set()
    for action in turn.get("actions") or []:  # a need_slot the reply does not voice (it handed off) asks nothing
        if isinstance(action, dict) and action.get("status") == "need_slot" and _ASK_CUE.search(reply_of(turn)):
            found.update(str(m) for m in (action.get("missing") or ["order_id"])[:1])
    for sentence in re.split(r"(?<=[。！？!?；;])\s*|(?<=\.)\s+", reply_of(turn)):
        if not _ASK_CUE.search(sentence):
            continue
        found.update(name for name, pattern in ASK_PATTERNS.items() if pattern.search(sentence))
    if turn.get("choices") and not found:
        found.add("clarify")
    return found


def loop_of(turns: Sequence[Turn], times: int = 3) -> str | None:
    """The information asked for `times` times before any handoff, or None (the conversation's loop)."""
    counts: Counter[str] = Counter()
    for turn in turns:
        if handed_off(turn):
            return None
        counts.update(asks(turn))
        repeated = [name for name, n in counts.items() if n >= times]
        if repeated:
            return sorted(repeated)[0]
    return None


def cannot_help(turn: Turn) -> bool:
    """The reply says there is no rule for this or that kefu cannot help."""
    return bool(CANNOT_HELP.search(reply_of(turn)))


def stuck_at(turns: Sequence[Turn]) -> int | None:
    """The index of the turn where the conversation got stuck: the same information asked a second time,
    a second "cannot help" reply, or the shopper asking for a human. None when it never did."""
    counts: Counter[str] = Counter()
    refusals = 0
    for i, turn in enumerate(turns):
        counts.update(asks(turn))
        refusals += cannot_help(turn)
        if max(counts.values(), default=0) >= 2 or refusals >= 2 or HUMAN_ASK.search(str(turn.get("message", ""))):
            return i
    return None


def escalated_after(turns: Sequence[Turn], start: int) -> bool:
    """A human was brought in, or offered in the reply, at or after turn `start`."""
    return any(handed_off(t) or HUMAN_OFFER.search(reply_of(t)) for t in turns[start:])


def summarize(conversations: Sequence[Sequence[Turn]]) -> dict[str, Any]:
    """The figures of a replay: shares are of all turns, counts are of conversations."""
    turns = sum(len(c) for c in conversations)
    identical = sum(identical_consecutive(c) for c in conversations)
    refusals = sum(cannot_help(t) for c in conversations for t in c)
    loops = [loop_of(c) for c in conversations]
    stuck = [(c, s) for c in conversations if (s := stuck_at(c)) is not None]
    escalated = sum(escalated_after(c, s) for c, s in stuck)
    order_asks = sum(1 for c in conversations if sum("order_id" in asks(t) for t in c) >= 3)
    return {
        "conversations": len(conversations),
        "turns": turns,
        "identical_consecutive_replies": identical,
        "identical_consecutive_share": _share(identical, turns),
        "ask_loops": sum(1 for loop in loops if loop),
        "ask_loop_kinds": dict(Counter(loop for loop in loops if loop)),
        "order_asked_3_times": order_asks,
        "cannot_help_replies": refusals,
        "cannot_help_share": _share(refusals, turns),
        "stuck_conversations": len(stuck),
        "escalated_when_stuck": _share(escalated, len(stuck)),
        "handoff_rate": _share(sum(any(handed_off(t) for t in c) for c in conversations), len(conversations)),
    }


def _replies_only(conversations: Sequence[Sequence[str]]) -> list[list[Turn]]:
    return [[{"reply": reply} for reply in conv] for conv in conversations]


def identical_share_of_replies(conversations: Sequence[Sequence[str]]) -> float:
    """Share of turns whose reply repeats the previous one (replies only)."""
    turns = _replies_only(conversations)
    return _share(sum(identical_consecutive(c) for c in turns), sum(len(c) for c in turns))


def cannot_help_share_of_replies(conversations: Sequence[Sequence[str]]) -> float:
    """Share of replies that say there is no rule or that kefu cannot help (replies only)."""
    turns = _replies_only(conversations)
    return _share(sum(cannot_help(t) for c in turns for t in c), sum(len(c) for c in turns))


def same_ask_3x_of_replies(conversations: Sequence[Sequence[str]]) -> float:
    """Conversations whose replies ask for the same information three times (replies only: a handoff in
    between is not seen, so this is an upper bound of `ask_loops`)."""
    return float(sum(1 for c in _replies_only(conversations) if loop_of(c)))


REPLY_METRICS = {
    "identical_consecutive_share": identical_share_of_replies,
    "cannot_help_share": cannot_help_share_of_replies,
    "same_ask_3x_conversations": same_ask_3x_of_replies,
}
"""The metrics that need only kefu's replies (one list per conversation): the replay suite reports them."""


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
