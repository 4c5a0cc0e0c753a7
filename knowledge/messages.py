"""Editor-facing messages of the knowledge base in Chinese and English (knowledge/messages.yaml)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("zh", "en")


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Any]:
    text = resources.files("knowledge").joinpath("messages.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def language_of(value: str | None) -> str:
    """'en', 'en-US,en;q=0.9' -> 'en'; anything else (Chinese-first) -> 'zh'."""
    return "en" if str(value or "").strip().lower().startswith("en") else "zh"


def label(field: str | None, language: str) -> str:
    """The name of a document field as an editor reads it."""
    labels = _catalogue()["labels"][language_of(language)]
    return str(labels.get(field, field or ""))


def render(code: str | None, language: str, field: str | None, params: dict[str, Any]) -> str:
    """The message of `code` in `language`, filled with `params` (missing values are left as '?')."""
    entry = _catalogue()["messages"].get(code or "")
    if entry is None:
        return str(params.get("detail") or code or "error")
    lang = language_of(language)
    values = _Defaults({**params, "field": field or "", "label": label(field, lang)})
    return str(entry[lang]).format_map(values)


class _Defaults(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"
