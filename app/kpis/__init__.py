"""Live KPIs of one shop from what the service itself stores: the turn log (written by app/service.py
after every turn), the handoff tickets and the ratings. `kefu kpis` and `GET /api/kpis` answer
`live_kpis(settings, since)`; `/dashboard` draws it. Definitions: app/kpis/compute.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.kpis.compute import NO_CATEGORY, CostModel, group_conversations, kpis
from app.kpis.turnlog import TurnLog, TurnRow, row_from_turn
from app.settings import Settings


def cost_model(settings: Settings) -> CostModel:
    return CostModel(bot_turn=settings.cost_bot_turn_cny, llm_turn=settings.cost_llm_turn_cny,
                     agent_hour=settings.cost_agent_hour_cny)


def live_kpis(settings: Settings, since: date | None = None) -> dict[str, Any]:
    """The KPIs of the conversations that started on or after `since` (a day in the shop's time zone), or of
    all of them."""
    from app.ratings import RatingStore
    from graph.handoff import HandoffQueue

    tz = ZoneInfo(settings.shop_timezone)
    start = datetime(since.year, since.month, since.day, tzinfo=tz).timestamp() if since else None
    turns = TurnLog(settings).rows(start)
    sessions = {t.session_id for t in turns}
    tickets = HandoffQueue(settings).tickets_of(sessions)
    conversations = group_conversations(turns, tickets, RatingStore(settings).by_session(sessions))
    figures = kpis(conversations, cost_model(settings), tz)
    return {"since": since.isoformat() if since else None, **figures, "labels": labels(settings)}


def labels(settings: Settings) -> dict[str, dict[str, str]]:
    """Chinese names of the keys the KPIs use (intents, emotions, handoff reasons, categories), for charts."""
    from app.store import ensure_demo_store
    from graph.handoff.texts import texts
    from graph.intents import REGISTRY

    categories = {row["category"]: row["name_zh"] for row in ensure_demo_store(settings).categories()}
    return {"intents": {name: row.display_name("zh") for name, row in REGISTRY.items()},
            "emotions": dict(texts()["emotion_names"]), "reasons": dict(texts()["reason_names"]),
            "categories": {**categories, NO_CATEGORY: "无订单"}}


__all__ = ["TurnLog", "TurnRow", "cost_model", "live_kpis", "row_from_turn"]
