"""Input hygiene shared by the NLU: control characters out, length bounded, offsets kept."""

from __future__ import annotations

import html
import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
# The classifiers read at most this many characters; entities use their own (longer) window.
MAX_MODEL_CHARS = 300
# Social handles, links and the placeholders that stand for them say nothing about what the customer
# needs ("@ShopHelp my order ...", "see https://..."): the classifiers do not read them.
NOT_READ = re.compile(r"(?<![\w.])@\w+|https?://\S+|www\.\S+|<(?:url|email|phone|credit_card)>", re.IGNORECASE)
# A hashtag is read as its word ("#fail" -> "fail"); "#12345" (an order number) keeps its sign.
HASHTAG = re.compile(r"(?<![\w&])#(?=[^\W\d_])")


def clean(text: str) -> str:
    """The text with each control/zero-width character replaced by one space (same length)."""
    return CONTROL.sub(" ", text)


def model_view(text: str) -> str:
    """What the classifiers read: the cleaned text without handles and links, HTML entities of social
    posts decoded ('&amp;' -> '&'), hashtags read as words, whitespace-collapsed and truncated."""
    text = html.unescape(text[: MAX_MODEL_CHARS * 2]) if "&" in text else text[: MAX_MODEL_CHARS * 2]
    text = HASHTAG.sub("", NOT_READ.sub(" ", text))
    return " ".join(text.split())[:MAX_MODEL_CHARS]
