"""The KPI definitions on hand-made turn rows, tickets and ratings (app/kpis/compute.py), one rule a case."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import pytest

from app.kpis.compute import CostModel, group_conversations, kpis, summarize
from app.kpis.turnlog import TurnRow

COST = CostModel(bot_turn=0.01, llm_turn=0.1, agent_hour=36.0)
DAY = 1_796_600_000.0  # an instant; shop days are UTC+8
TZ = timezone(timedelta(hours=8))


def turn(session: str, at: float, ms: float = 100.0, *, tier: str = "composer", resolved: bool = True,
         intent: str = "order_status", emotion: str = "neutral", relayed: bool = False, category: str | None = None,
         arm: str | None = None) -> TurnRow:
    return TurnRow(session, "u1", 1, DAY + at, ms, None if relayed else intent, None if relayed else emotion,
                   "agent" if relayed else tier, relayed, resolved, None, category, arm)


def test_each_figure_follows_its_definition():
    turns = [turn("a", 0, 200, tier="front"), turn("a", 10, 300),                       # bot resolved it: FCR
             turn("b", 20, 100, resolved=False),                                         # unresolved, no handoff
             turn("c", 30, 400, tier="llm", category="fresh", arm="human"), turn("c", 40, 5, relayed=True),
             turn("d", 50, 100, category="books", arm="bot", emotion="angry")]
    tickets = [{"session_id": "c", "reason": "pilot", "taken_at": DAY + 60, "ended_at": DAY + 180},
               {"session_id": "x", "reason": "explicit_request", "taken_at": None, "ended_at": None}]  # not logged
    ratings = {"a": 10, "b": 6, "c": 9, "d": 7, "zzz": 0}
    k = kpis(group_conversations(turns, tickets, ratings), COST, TZ)
    assert (k["conversations"], k["turns"], k["handoffs"]) == (4, 5, 1)  # the relayed message is no bot turn
    assert k["fcr"] == 0.5 and k["handoff_rate"] == 0.25  # a and d; c
    assert k["aht_s"] == {"bot": round((10.3 + 0.1 + 0.1) / 3, 2), "human": 120.0}
    assert (k["rated"], k["promoters"], k["detractors"]) == (4, 2, 1) and k["nps"] == 0.25 and k["csat"] == 8.0
    assert k["front_tier_share"] == 0.2 and k["intents"] == {"order_status": 5}
    assert k["emotions"] == {"neutral": 4, "angry": 1} and k["handoff_reasons"] == {"pilot": 1}
    assert k["p50_ms"] == 200.0 and k["p99_ms"] == pytest.approx(396.0)
    assert k["cost_per_conversation_cny"] == round((4 * 0.01 + 0.1 + 120 * 36 / 3600) / 4, 4)
    assert set(k["by_category"]) == {"fresh", "books", "none"} and k["by_category"]["none"]["conversations"] == 2
    assert {arm: f["conversations"] for arm, f in k["by_arm"].items()} == {"bot": 1, "human": 1}
    assert [d["day"] for d in k["by_day"]] == ["2026-12-07"]


def test_no_conversations_gives_nulls_not_errors():
    empty = summarize([], COST)
    assert empty["conversations"] == 0 and empty["fcr"] is None and empty["nps"] is None
    assert empty["p50_ms"] is None and empty["cost_per_conversation_cny"] is None and empty["intents"] == {}


def test_a_human_side_decision_places_the_conversation_even_after_a_bot_one():
    turns = [turn("a", 0, category="books", arm="bot"), turn("a", 5, category="fresh", arm="human")]
    conversation = group_conversations(turns, [], {})[0]
    assert (conversation.category, conversation.arm) == ("fresh", "human")


def test_days_are_shop_days():
    late = group_conversations([turn("a", 16 * 3600 - DAY % 86400 + 60)], [], {})[0]  # 00:01 shop time
    assert late.day(TZ) != late.day(UTC)
