"""Turn an elliptical follow-up ("那生鲜呢?") into a standalone retrieval query."""

from __future__ import annotations

import re

from knowledge.text import lexicon

_FOLLOW_UP_RE = re.compile(
    r"^\s*(那要是|那么|那|还有|另外|如果是|要是|假如|换成|what about|how about|and|also|then)(?![a-z])", re.I)
_TRAILING_RE = re.compile(r"(呢|吗|么|呀|啊|的话)?\s*[?？。!！~～]*\s*$")
_SLOT_KEYS = ("product", "product_name", "product_category", "category", "payment_method", "topic")
SHORT_CJK = 8
SHORT_WORDS = 4


def _is_elliptical(text: str) -> bool:
    core = _TRAILING_RE.sub("", text.strip())
    cjk = len(re.findall(r"[\u3400-\u9fff]", core))
    words = len(re.findall(r"[A-Za-z]+", core))
    short = (cjk + 2 * words) <= SHORT_CJK if cjk else words <= SHORT_WORDS
    return bool(_FOLLOW_UP_RE.match(text)) or short


def _topic_words(turn: str) -> list[str]:
    from knowledge.text import _jieba

    stop = lexicon()["stopwords"]
    words = [w.strip() for w in _jieba().lcut(turn)]
    return [w for w in words if w and w.lower() not in stop and not re.fullmatch(r"\W+|\d{6,}", w)]


def rewrite_query(text: str, history: list[str], slots: dict[str, object] | None = None) -> str:
    """A standalone query for `text` given earlier user turns (oldest first) and dialogue slots.

    A short or elliptical turn borrows the topic words of the latest earlier turn that has any
    (plus slot values such as a product); a self-contained turn is returned unchanged.
    """
    current = re.sub(r"\s+", " ", str(text or "")).strip()
    if not current or not _is_elliptical(current):
        return current
    core = _FOLLOW_UP_RE.sub("", current, count=1)
    core = _TRAILING_RE.sub("", core).strip(" ,，")
    extra: list[str] = []
    for turn in reversed([str(h) for h in history if str(h or "").strip()]):
        words = _topic_words(turn)
        if words:
            extra = words
            break
    for key in _SLOT_KEYS:
        value = (slots or {}).get(key)
        if isinstance(value, str) and value.strip() and value not in core:
            extra.append(value.strip())
    extra = [w for w in dict.fromkeys(extra) if w not in core]
    if not extra:
        return current
    return f"{core or current} {' '.join(extra)}".strip()
