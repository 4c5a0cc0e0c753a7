"""Turn an elliptical follow-up ("那生鲜呢?") into a standalone retrieval query."""

from __future__ import annotations

import re

from knowledge.text import lexicon

_FOLLOW_UP_RE = re.compile(
    r"^\s*(那要是|那么|那|还有|另外|如果是|要是|假如|换成|what about|how about|and|also|then)(?![a-z])",
    re.IGNORECASE,
)
_TRAILING_RE = re.compile(r"(的呢|的话|呢|吗|么|呀|啊)?\s*[?？。!！~～]*\s*$")
_SLOT_KEYS = ("product", "product_name", "product_category", "category", "payment_method", "topic")
SHORT_CJK = 8
SHORT_WORDS = 4


def _domain_terms() -> set[str]:
    lex = lexicon()
    found = {str(w).lower() for w in lex["words"]} | set(lex["synonyms"])
    found |= {str(v).lower() for values in lex["synonyms"].values() for v in values}
    return {t for t in found if len(t) >= 2}


def _is_elliptical(text: str) -> bool:
    """Short turns without a topic of their own, or turns that open with a follow-up marker."""
    if _FOLLOW_UP_RE.match(text) or re.search(r"呢\s*[?？]*\s*$", text):
        return True
    core = _TRAILING_RE.sub("", text.strip()).lower()
    cjk = len(re.findall(r"[\u3400-\u9fff]", core))
    words = len(re.findall(r"[a-z]+", core))
    short = cjk <= SHORT_CJK if cjk else words <= SHORT_WORDS
    return short and not any(term in core for term in _domain_terms())


def _topic_words(turn: str) -> list[str]:
    from knowledge.text import _jieba

    stop = lexicon()["stopwords"]
    numbers = re.findall(r"\d+\s*(?:天|元|小时|个工作日|days?|yuan|hours?)", turn, re.IGNORECASE)
    words = [w.strip() for w in _jieba().lcut(turn)]
    kept = [w for w in words if len(w) >= 2 and w.lower() not in stop and not re.fullmatch(r"[\W\d]+", w)]
    return [re.sub(r"(?<=\d) (?=[\u3400-\u9fff])", "", n) for n in numbers] + kept


def rewrite_query(text: str, history: list[str], slots: dict[str, object] | None = None) -> str:
    """A standalone query for `text` given earlier user turns (oldest first) and dialogue slots.

    An elliptical turn ("那生鲜呢?", "what about fresh food?", "多久到账") borrows the topic words
    of the latest earlier turn that was itself self-contained, plus slot values such as a product;
    a self-contained turn is returned unchanged.
    """
    current = re.sub(r"\s+", " ", str(text or "")).strip()
    if not current or not _is_elliptical(current):
        return current
    core = _FOLLOW_UP_RE.sub("", current, count=1)
    core = _TRAILING_RE.sub("", core).strip(" ,，")
    extra: list[str] = []
    for turn in reversed([str(h) for h in history if str(h or "").strip()]):
        if not _is_elliptical(turn):
            extra = _topic_words(turn)
            if extra:
                break
    for key in _SLOT_KEYS:
        value = (slots or {}).get(key)
        if isinstance(value, str) and value.strip() and value not in core:
            extra.append(value.strip())
    extra = [w for w in dict.fromkeys(extra) if w not in core]
    if not extra:
        return current
    return f"{core or current} {' '.join(extra)}".strip()
