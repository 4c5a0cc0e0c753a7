"""Reply templates as data (replies.yaml), looked up by key and language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_FILE = Path(__file__).with_name("replies.yaml")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


def lang_of(language: str | None) -> str:
    """Replies are English for English messages, Chinese otherwise (mixed included)."""
    return "en" if language == "en" else "zh"


def text(key: str, language: str | None, **values: Any) -> str:
    template = _data()["text"][key][lang_of(language)]
    return template.format(**values) if values else template


def status_name(status: str, language: str | None) -> str:
    names = _data()["status"].get(status)
    return names[lang_of(language)] if names else status


def slot_name(slot: str, language: str | None) -> str:
    names = _data()["slot_names"].get(slot)
    return names[lang_of(language)] if names else slot


def section(name: str) -> dict[str, Any]:
    """One section of the templates (status, slot_names, text, summaries)."""
    return dict(_data()[name])
