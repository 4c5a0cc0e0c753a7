"""Run-scoped context of one turn: who is talking and which shop's settings apply.

Identity comes from the session (the web/API/CLI caller), never from the customer's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import Settings


@dataclass(frozen=True)
class TurnContext:
    settings: Settings
    user_id: str
    session_id: str
