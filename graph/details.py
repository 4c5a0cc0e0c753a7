"""Identity details given on their own: a name, an e-mail, a username or account ID, a phone number, a zip
code, a date, a street address ("Crystal Minh", "Account ID: EA6AHJN0EC", "5/21").

Shoppers send them because agents elsewhere ask for them. They answer no question kefu asked, and the policy
base has nothing to say about them: kefu takes note and re-states the step the conversation is at
(graph/reply/moves.py), instead of "not understood" or a policy quoted at random.
"""

from __future__ import annotations

import re
from typing import Any

_LABEL = (r"(?:full |user ?|first |last |customer )?name|username|user ?id|account(?: id| number)?|id|"
          r"e-?mail(?: address)?|phone(?: number)?|mobile|zip(?: code)?|postal code|security answer|"
          r"member(?:ship)?(?: level| tier)?|address|date(?: of birth)?|expiry(?: date)?|pin|order id")
_DETAIL_PARTS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"                                            # e-mail
    rf"\b(?:{_LABEL})\s*(?:[:：#]|is\b|was\b)\s*[^,;，；]+|"                      # "Account ID: EA6A.."
    r"\bmy name is\s+[a-z]+(?:\s+[a-z]+)?\b|"                                   # "my name is Albert Sanders"
    r"\b\d+\s+[a-z0-9 .]{2,40}?\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct)\b"
    r"[a-z ,.]*\d{0,5}|"                                                       # street address
    r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|"                                       # date / card expiry
    r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|"                                   # phone
    r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{5,24}\b|"                             # username, account id
    r"\b\d{4,10}\b",                                                           # zip, account or member number
    re.I,
)
_FILLER = re.compile(
    r"\b(?:and|sure|ok(?:ay)?|yes|yeah|yep|here|it'?s|is|the|my|that'?s|this|number|zip|code|name|username|"
    r"account|id|e-?mail|address|phone|please|thanks?|thank you|of course|hi|hello|also|too|for you|"
    r"[a-z])\b|[\s\W_]+",
    re.I,
)
_COMMON = frozenset({
    "a", "all", "an", "and", "angry", "any", "are", "at", "awesome", "back", "be", "busy", "bye", "can",
    "confused", "cool", "did", "do", "does", "done", "excellent", "fine", "for", "get", "glad", "go", "good",
    "great", "had", "happy", "has", "have", "he", "hello", "here", "hey", "hi", "home", "how", "i", "if", "in",
    "is", "it", "its", "just", "late", "let", "like", "me", "more", "my", "need", "new", "next", "nice", "no",
    "nope", "not", "now", "of", "ok", "okay", "old", "on", "one", "or", "perfect", "please", "ready", "really",
    "right", "sad", "same", "say", "says", "see", "she", "so", "sorry", "still", "sure", "thank", "thanks", "that",
    "thats", "the", "then", "there", "they", "this", "thx", "tired", "to", "too", "try", "upset", "us", "very",
    "want", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "work", "worked", "wrong",
    "yeah", "yep", "yes", "you", "your",
})
"""Everyday words: two of them are a phrase ("no thx", "sounds good"), not a name."""
_NAME = re.compile(r"^[A-Za-z][a-z'-]{1,20}(?:\s+[A-Za-z][a-z'-]{1,20}){1,2}$")
_INTRO = re.compile(r"^(?:my name is|i'?m|i am|this is|name is)\s+", re.I)


def _bare_name(text: str) -> bool:
    """Two or three words that read as a person's name ("Crystal Minh", "alessandro phoenix")."""
    words = text.split()
    plain = [w.lower().strip("'") for w in words]
    if any(w in _COMMON or w.endswith(("ed", "ing")) for w in plain):
        return False
    return bool(_NAME.match(text)) and (
        all(w[0].isupper() for w in words) or all(len(w) >= 4 for w in words))


def gives_details(text: str) -> bool:
    """The message only gives identity details (English or Latin-script messages; Chinese ones carry their
    phone numbers and addresses as task slots, read by the NLU's entities)."""
    text = (text or "").strip().strip(".!")
    if not text or re.search(r"[\u3400-\u9fff]", text) or "?" in text or len(text) > 120:
        return False
    if _bare_name(_INTRO.sub("", text)):
        return True
    found = _DETAIL_PARTS.findall(text)
    return bool(found) and not _FILLER.sub("", _DETAIL_PARTS.sub(" ", text))


def only_details(state: Any) -> bool:
    """The turn's message is identity details on their own, not the value a task is waiting for (an address
    or phone for a change) nor a number that may be the order kefu asked for."""
    text, awaiting = state.get("text", ""), state.get("awaiting_slot")
    named = any(e.get("type") in ("order_id", "tracking_no") for e in state.get("entities") or [])
    if named or (awaiting and awaiting != "order_id") or (awaiting and re.search(r"\d{4,}", text)):
        return False
    return gives_details(text)
