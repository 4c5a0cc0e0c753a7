"""Small text helpers shared by the composer, the grounding check and the answer cache."""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+|\n+")
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s*|[-*+]\s+|\d+[.)、]\s*|>\s*)|\*\*|__|`")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Identifiers that make a question about ONE order or account (never cached, never shared).
_ORDER_ID = re.compile(r"(?<!\d)\d{8,20}(?!\d)")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
_TRACKING = re.compile(r"\b(?:SF|JD|YT|ZTO|STO|YD|EMS|JT|DBL)\s?\d{8,16}\b", re.IGNORECASE)


def normalise(text: str) -> str:
    """NFKC, control characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    """Split policy text into clean sentences (markdown bullets and headings removed)."""
    out: list[str] = []
    lead = ""  # a line ending in a colon introduces the next line ("以下商品不支持退货：" + item)
    for raw in (text or "").splitlines():
        line = _MARKUP.sub("", raw).strip()
        if not line:
            continue
        line, lead = lead + line, ""
        if line[-1] in "：:":
            lead = line
            continue
        for part in _SENTENCE_END.split(line):
            part = (part or "").strip()
            if len(part) >= 2:
                out.append(part)
    if lead:
        out.append(lead)
    return out


def char_ngrams(text: str, sizes: tuple[int, ...] = (2, 3)) -> dict[str, int]:
    """Counts of character n-grams (Chinese) and words (Latin) of a normalised, lowercased text."""
    text = normalise(text).lower()
    grams: dict[str, int] = {}
    for word in re.findall(r"[a-z]+|\d+", text):
        grams[word] = grams.get(word, 0) + 1
    chunks = re.findall(r"[\u3400-\u9fff]+", text)
    for chunk in chunks:
        for n in sizes:
            for i in range(len(chunk) - n + 1):
                gram = chunk[i : i + n]
                grams[gram] = grams.get(gram, 0) + 1
        if len(chunk) == 1:
            grams[chunk] = grams.get(chunk, 0) + 1
    return grams


def order_identifiers(text: str) -> list[str]:
    """Order ids, phone numbers and tracking numbers found in `text` (empty list if none)."""
    text = normalise(text)
    found = _TRACKING.findall(text) + _PHONE.findall(text) + _ORDER_ID.findall(text)
    return [f.replace(" ", "") for f in found]
