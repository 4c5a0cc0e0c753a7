"""Loads the handoff texts (texts.yaml): the labels of ticket summaries, for agents."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TEXTS_PATH = Path(__file__).with_name("texts.yaml")


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """The parsed texts.yaml (read once per process)."""
    with TEXTS_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def label(group: str, key: str | None) -> str:
    """The Chinese label of `key` in `group` (intent_names, reason_names, ...), else the key itself."""
    if not key:
        return ""
    return str(texts().get(group, {}).get(key, key))
