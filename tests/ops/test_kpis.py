"""Live KPIs: after a scripted set of rated conversations, `kefu kpis --json` and GET /api/kpis give the
counts, FCR, handoff rate, NPS and CSAT that the conversations imply, computed here independently from
what each turn answered and the ratings given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta

import pytest

from app.pilot import PilotStore
from app.store.clock import SHOP_TZ
from graph.handoff import HandoffQueue

# session -> (messages, rating 0-10 or None); {fresh}, {shipped}, {paid} are demo orders
SCRIPT: dict[str, tuple[list[str], int | None]] = {
    "c-track": (["订单{shipped}到哪了"], 10),
    "c-hello": (["你好", "谢谢"], 9),
    "c-human": (["转人工"], 3),
    "c-fresh": (["订单{fresh}什么时候到"], None),
    "c-lost": (["你们家的猫叫什么名字", "还是没听懂"], 6),
    "c-policy": (["七天无理由退货是怎么规定的"], 8),
    "c-cancel": (["帮我取消订单{paid}", "确认"], 7),
}


def _kefu(shop, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEFU_DATA_DIR": str(shop.data_dir), "PYTHONPATH": os.getcwd()}
    return subprocess.run([sys.executable, "-m", "app", *argv], env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture
def played(service, client, cases, shop) -> dict[str, list[dict]]:
    """The script played through the service, rated through the API; session -> the turns' JSON."""
    PilotStore(shop).set("fresh", "human", actor="test")
    orders = {"fresh": cases["delivered_fresh"], "shipped": cases["shipped"], "paid": cases["paid"]}
    turns = {}
    for session, (messages, rating) in SCRIPT.items():
        turns[session] = [service.run_turn(session, "demo", m.format(**orders)) for m in messages]
        if rating is not None:
            answer = client.post(f"/api/chat/{session}/rating", json={"user": "demo", "rating": rating})
            assert answer.status_code == 200, answer.text
    return turns


def test_kpis_are_the_figures_the_rated_conversations_imply(played, shop):
    queue = HandoffQueue(shop)
    human = queue.active_for("c-human")
    queue.take(human["ticket_id"], "agent")
    closed = queue.close(human["ticket_id"], "agent")

    handed = {s for s, turns in played.items() if any(t["handoff"]["active"] for t in turns)}
    resolved = {s for s, turns in played.items() if s not in handed and turns[-1]["state"]["resolved"]}
    ratings = [r for _, r in SCRIPT.values() if r is not None]
    nps = (sum(r >= 9 for r in ratings) - sum(r <= 6 for r in ratings)) / len(ratings)
    answered = [t for turns in played.values() for t in turns if t["tier"] != "agent"]
    assert {"c-human", "c-fresh"} <= handed and "c-track" in resolved and "c-lost" not in resolved  # the script

    done = _kefu(shop, "kpis", "--json")
    assert done.returncode == 0, done.stderr
    kpis = json.loads(done.stdout)
    assert kpis["conversations"] == len(SCRIPT) and kpis["turns"] == len(answered)
    assert kpis["handoffs"] == len(handed)
    assert kpis["handoff_rate"] == round(len(handed) / len(SCRIPT), 4)
    assert kpis["fcr"] == round(len(resolved) / len(SCRIPT), 4)
    assert kpis["rated"] == len(ratings) and kpis["nps"] == round(nps, 4)
    assert kpis["csat"] == round(sum(ratings) / len(ratings), 3)
    assert kpis["intents"] == dict(Counter(t["intent"] for t in answered))
    assert kpis["front_tier_share"] == round(sum(t["tier"] == "front" for t in answered) / len(answered), 4)
    assert kpis["aht_s"]["human"] == round(closed["ended_at"] - closed["taken_at"], 2)
    assert kpis["handoff_reasons"] == {"explicit_request": 1, "pilot": 1}
    assert 0 < kpis["p50_ms"] <= kpis["p99_ms"] and kpis["cost_per_conversation_cny"] > 0

    fresh = kpis["by_category"]["fresh"]
    assert (fresh["conversations"], fresh["handoff_rate"], fresh["fcr"]) == (1, 1.0, 0.0)
    placed = Counter(t["pilot"]["arm"] for turns in played.values() for t in turns[:1] if t["pilot"])
    assert {arm: figures["conversations"] for arm, figures in kpis["by_arm"].items()} == dict(placed)
    assert sum(c["conversations"] for c in kpis["by_category"].values()) == len(SCRIPT)
    assert sum(day["conversations"] for day in kpis["by_day"]) == len(SCRIPT)
    assert all(set(day) - {"day"} == set(fresh) for day in kpis["by_day"])


def test_since_keeps_only_conversations_from_that_day_on(played, shop):
    tomorrow = (datetime.now(SHOP_TZ) + timedelta(days=1)).date().isoformat()
    later = json.loads(_kefu(shop, "kpis", "--since", tomorrow, "--json").stdout)
    assert later["conversations"] == 0 and later["fcr"] is None and later["by_day"] == []
    yesterday = (datetime.now(SHOP_TZ) - timedelta(days=1)).date().isoformat()
    assert json.loads(_kefu(shop, "kpis", "--since", yesterday, "--json").stdout)["conversations"] == len(SCRIPT)


def test_the_api_answers_the_cli_json_to_staff_only(played, client, shop, login):
    assert client.get("/api/kpis").status_code == 401
    for who in ("agent", "editor"):
        answer = client.get("/api/kpis", headers=login(who))
        assert answer.status_code == 200
    cli = json.loads(_kefu(shop, "kpis", "--json").stdout)
    api = answer.json()
    for key in ("conversations", "fcr", "handoff_rate", "nps", "csat", "intents", "by_category", "by_arm"):
        assert api[key] == cli[key], key
    assert client.get("/api/kpis?since=yesterday", headers=login()).status_code == 422


def test_bad_since_is_one_line_and_exit_2(shop):
    done = _kefu(shop, "kpis", "--since", "2026-13-40", "--json")
    assert done.returncode == 2 and done.stderr.strip().startswith("kefu: --since must be a day")
    assert "Traceback" not in done.stderr
