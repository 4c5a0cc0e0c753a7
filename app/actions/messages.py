"""Outcome texts (messages.yaml): refusal reasons, slot prompts, notes, status names."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from app.store.rules import PAYMENT_NAMES, refund_time_text


class _Blank(dict):
    """Leaves unknown placeholders empty instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""


@lru_cache(maxsize=1)
def _texts() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).with_name("messages.yaml")).read_text(encoding="utf-8"))


def text(section: str, key: str, lang: str, **params: Any) -> str:
    """One text of messages.yaml, its placeholders filled from `params`."""
    entry = _texts()[section][key]
    return entry[lang].format_map(_Blank(params)).strip()


def status_name(status: str, lang: str = "zh") -> str:
    """The customer-facing name of an order status."""
    names = _texts()["status_names"].get(status)
    return names[lang] if names else status


def request_status_name(status: str) -> str:
    """The customer-facing (Chinese) name of an after-sale request status."""
    return _texts()["request_status_names"].get(status, status)


def refund_route(method: str) -> dict[str, str]:
    """Where a refund goes and how long it takes, as fields and as sentences."""
    zh_name, en_name = PAYMENT_NAMES.get(method, (method, method))
    zh_time, en_time = refund_time_text(method)
    params = {"method_zh": zh_name, "method_en": en_name, "time_zh": zh_time, "time_en": en_time}
    return {"method": method, "method_zh": zh_name, "time": zh_time, "time_en": en_time,
            "text": text("notes", "refund_route", "zh", **params),
            "text_en": text("notes", "refund_route", "en", **params)}
