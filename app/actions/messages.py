"""Texts of action outcomes (refusal reasons, slot prompts, notes, status names), from the reply
package's wording files (graph/reply/zh.yaml, en.yaml), where every customer-facing sentence lives."""

from __future__ import annotations

from typing import Any

from app.store.rules import PAYMENT_NAMES, refund_time_text
from graph.reply import wording

SECTIONS = {"refusals": "refusal", "prompts": "prompt", "notes": "note"}


def text(section: str, key: str, lang: str, **params: Any) -> str:
    """One outcome text (section refusals, prompts or notes), its placeholders filled from `params`."""
    return wording.phrase(SECTIONS[section], key, lang, **params)


def status_name(status: str, lang: str = "zh") -> str:
    """The customer-facing name of an order status, as action results carry it."""
    return wording.short_status_name(status, lang)


def request_status_name(status: str) -> str:
    """The customer-facing (Chinese) name of an after-sale request status."""
    return wording.request_status_name(status)


def refund_route(method: str) -> dict[str, str]:
    """Where a refund goes and how long it takes, as fields and as sentences."""
    zh_name, en_name = PAYMENT_NAMES.get(method, (method, method))
    zh_time, en_time = refund_time_text(method)
    params = {"method_zh": zh_name, "method_en": en_name, "time_zh": zh_time, "time_en": en_time}
    return {"method": method, "method_zh": zh_name, "time": zh_time, "time_en": en_time,
            "text": text("notes", "refund_route", "zh", **params),
            "text_en": text("notes", "refund_route", "en", **params)}
