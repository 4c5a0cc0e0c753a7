"""Normalising slot values from the tracker. Bad values raise domain errors, never tracebacks."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from app.actions.errors import NotFound, Refused

MAX_TEXT = 200
_ORDER_ID = re.compile(r"\d{8,20}")
_PHONE = re.compile(r"1[3-9]\d{9}")
_TAX_ID = re.compile(r"[0-9A-Z]{15,20}")
_TRUE = {"true", "1", "yes", "y", "是", "对", "有"}


def clean_text(value: Any, limit: int = MAX_TEXT) -> str:
    """A slot as a short printable string (control characters dropped, whitespace squeezed)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    raw = str(value)[: limit * 4]
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    return " ".join(kept.split())[:limit]


def order_id_slot(value: Any) -> str | None:
    """The order id slot: None when absent/blank; digits only; malformed ids are `not_found`."""
    if isinstance(value, bool):
        raise NotFound("invalid_order_id")
    text = clean_text(value, 64).replace(" ", "").replace("-", "")
    if not text:
        return None
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not _ORDER_ID.fullmatch(text):
        raise NotFound("invalid_order_id")
    return text


def tracking_slot(value: Any) -> str | None:
    """The tracking number slot, upper case without separators (None when absent)."""
    text = re.sub(r"[\s\-]", "", clean_text(value, 64)).upper()
    if not text:
        return None
    if not re.fullmatch(r"[A-Z]{0,4}\d{8,20}", text):
        raise NotFound("tracking_not_found", tracking_no=text[:30])
    return text


def phone_slot(value: Any) -> str | None:
    """An 11-digit mainland mobile number (None when absent)."""
    text = re.sub(r"[\s\-+]", "", clean_text(value, 40))
    if not text:
        return None
    if text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not _PHONE.fullmatch(text):
        raise Refused("invalid_phone")
    return text


def address_slot(value: Any) -> str | None:
    """A delivery address (None when absent); too short or too long is refused."""
    raw = clean_text(value, 1000)
    if not raw:
        return None
    if len(raw) < 6 or len(raw) > 120:
        raise Refused("invalid_address")
    return raw


def bool_slot(value: Any) -> bool:
    """A yes/no slot (missing means no)."""
    if isinstance(value, bool):
        return value
    return clean_text(value, 10).lower() in _TRUE


def tax_id_slot(value: Any) -> str | None:
    """A tax id (unified social credit code), upper case (None when absent)."""
    text = re.sub(r"[\s\-]", "", clean_text(value, 60)).upper()
    if not text:
        return None
    if not _TAX_ID.fullmatch(text):
        raise Refused("invalid_tax_id")
    return text
