"""Loads the handoff texts (texts.yaml): labels for summaries and notices for customers."""

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


def customer_notice(ticket: dict[str, Any], language: str = "zh") -> str:
    """What the customer is told about a handoff: queue position, callback ticket, or agent joined."""
    lang = "en" if language == "en" else "zh"
    notices = texts()["notice"][lang]
    status = ticket.get("status")
    if status == "queued":
        ahead = max(int(ticket.get("position") or 1) - 1, 0)
        return notices["queued_first"] if ahead == 0 else notices["queued"].format(ahead=ahead)
    if status == "active":
        return notices["active"].format(agent=ticket.get("agent") or "")
    if status == "callback":
        return notices["callback"].format(ticket_id=ticket.get("ticket_id"))
    return notices["declined"]
