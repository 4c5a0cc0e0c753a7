"""Dialogue acts of a short reply: confirming or declining a proposal, correcting, complaining it did not help.

Word lists are data; matching is on the normalised message.
"""

from __future__ import annotations

import re

CONFIRM = {
    "确认", "确定", "是的", "是", "对", "对的", "好", "好的", "可以", "行", "没问题", "嗯", "嗯嗯", "同意",
    "确认取消", "确认修改", "确认申请", "确认退货", "确认换货", "提交", "办吧", "就这样", "ok", "okay", "yes",
    "yep", "sure", "confirm", "confirmed", "go ahead", "yes please", "do it", "是的确认", "确认无误", "好的确认",
}
DENY = {
    "不", "不要", "不用", "不用了", "算了", "先不", "先不用", "不是", "不对", "不了", "再想想", "等等",
    "no", "nope", "not now", "don't", "dont", "cancel that", "never mind", "nevermind", "不确认", "放弃",
}
DISSATISFIED = re.compile(
    r"没用|没有用|还是不行|不行啊|没解决|解决不了|答非所问|听不懂|说了等于没说|废话|机器人|你在说什么|"
    r"not helpful|useless|doesn'?t help|didn'?t help|not what i asked",
    re.I,
)
CORRECTION = re.compile(r"^(不是|不对|错了|搞错|弄错)|不是这个|是另一个|不对是|\bnot that\b|\bi meant\b", re.I)
ORDER_SUFFIX = re.compile(r"(?:尾号|末尾|后四位|最后四位|ending (?:in|with))\s*(\d{3,6})", re.I)

_TRIM = re.compile(r"[\s,.!?，。！？~、…]+")


def _core(text: str) -> str:
    return _TRIM.sub(" ", text.lower()).strip()


def is_confirm(text: str) -> bool:
    core = _core(text)
    return core in CONFIRM or (len(core) <= 12 and any(core.startswith(w) for w in ("确认", "确定", "yes")))


def is_deny(text: str) -> bool:
    core = _core(text)
    return core in DENY or (len(core) <= 8 and core.startswith(("不用", "算了", "不要", "no ")))


def is_dissatisfied(text: str) -> bool:
    return bool(DISSATISFIED.search(text))


def is_correction(text: str) -> bool:
    return bool(CORRECTION.search(text))


def order_suffix(text: str) -> str | None:
    """The digits of "尾号8823"-style references to an order."""
    match = ORDER_SUFFIX.search(text)
    return match.group(1) if match else None
