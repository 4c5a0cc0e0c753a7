"""The relational stores on Postgres (KEFU_DATABASE_URL): the same behaviour as on SQLite, races included."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.accounts import reconcile_accounts
from app.auth import AuthStore
from app.ratings import RatingStore
from app.settings import Settings
from app.shop import ShopRefused
from app.shop.demo import DemoShop
from app.store import ensure_demo_store
from finetune.feedback import load_ratings
from graph.handoff import HandoffQueue, TicketConflict
from storage import DatabaseUnavailable, open_database
from storage.migrate import current, head


@pytest.fixture()
def pg_settings(postgres, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=postgres.database("stores"), demo_users=5, demo_orders=30)


def test_two_agents_racing_for_one_ticket_get_it_once(pg_settings: Settings) -> None:
    queue = HandoffQueue(pg_settings)
    queue.heartbeat("alice")
    ticket = queue.open_ticket("s1", "demo", "explicit_request", {"slots": {}}, explicit=True)

    def take(agent: str) -> str:
        try:
            return HandoffQueue(pg_settings).take(ticket["ticket_id"], agent)["agent"]
        except TicketConflict:
            return "refused"

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(take, ["alice", "bob", "carol", "dave", "erin", "frank"]))
    winners = [o for o in outcomes if o != "refused"]
    assert len(winners) == 1 and queue.ticket(ticket["ticket_id"])["agent"] == winners[0]
    with ThreadPoolExecutor(4) as pool:
        opened = list(pool.map(lambda _: queue.open_ticket("s2", "demo", "unresolved_turns", {})["ticket_id"], range(4)))
    assert len(set(opened)) == 1, "one open ticket per conversation"


def test_concurrent_retries_of_one_write_apply_it_once(pg_settings: Settings) -> None:
    shop = DemoShop(ensure_demo_store(pg_settings))
    order_id = shop.store.demo_cases()["paid"]
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: shop.cancel_order(order_id, user_id="demo", key="same-key"), range(5)))
    assert sorted(a["replayed"] for a in answers) == [False, True, True, True, True]
    assert len({a["refund_id"] for a in answers}) == 1
    assert len(shop.order(order_id)["refunds"]) == 1 and len(shop.store.action_log(order_id=order_id)) == 1
    with pytest.raises(ShopRefused):
        shop.cancel_order(order_id, user_id="demo", key="another-key")


def test_accounts_tokens_and_ratings(pg_settings: Settings) -> None:
    auth = reconcile_accounts(pg_settings)
    assert auth.verify("agent", "agent-demo") is not None and auth.verify("agent", "wrong") is None
    token = auth.issue_token("agent")
    assert AuthStore(pg_settings).account_for_token(token).login == "agent"
    ratings = RatingStore(pg_settings)
    ratings.rate("s1", 3, "没解决")
    assert ratings.rate("s1", 4)["replaced"] is True
    ratings.rate("s2", 10)
    assert [r["session_id"] for r in ratings.list(below=8)] == ["s1"]
    assert load_ratings(pg_settings.database_url) == {
        "s1": {"rating": 4, "comment": "", "created_at": ratings.get("s1")["created_at"]},
        "s2": {"rating": 10, "comment": "", "created_at": ratings.get("s2")["created_at"]}}


def test_migrations_are_recorded_per_part(pg_settings: Settings) -> None:
    for part in ("shop", "service"):
        assert current(open_database(pg_settings, part)) == head(part)


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    from realservers import free_port

    settings = Settings(data_dir=tmp_path, database_url=f"postgresql://kefu:secret@127.0.0.1:{free_port()}/x")
    with pytest.raises(DatabaseUnavailable) as raised:
        open_database(settings, "service")
    assert "127.0.0.1" in str(raised.value) and "secret" not in str(raised.value)


def test_rate_limit_counters_lose_no_hit_under_concurrency(pg_settings: Settings) -> None:
    from app.limits import DatabaseStorage

    storage = DatabaseStorage(db=open_database(pg_settings, "service"))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: storage.incr("turns/demo", 60.0), range(40)))
    assert storage.get("turns/demo") == 40
    expired = DatabaseStorage(db=open_database(pg_settings, "service"), clock=lambda: 10**10)
    assert expired.incr("turns/demo", 60.0) == 1, "an expired window starts again"


def test_conversations_keep_a_bounded_number_of_checkpoints(pg_settings: Settings) -> None:
    import psycopg

    from app.service import ChatService
    from app.transcripts import CHECKPOINTS_KEPT, POSTGRES_PRUNE_SLACK

    service = ChatService(pg_settings.model_copy(update={"turn_limit_per_user": "", "turn_limit_per_address": ""}))
    for i in range(12):
        service.run_turn("pruned", "demo", "你好" if i % 2 else "谢谢")
    with psycopg.connect(pg_settings.database_url) as conn:
        count = conn.execute("SELECT COUNT(*) FROM checkpoints WHERE thread_id='pruned'").fetchone()[0]
    assert count <= CHECKPOINTS_KEPT + POSTGRES_PRUNE_SLACK + 1
    assert len(service.transcript("pruned")) == 24 and service.read_state("pruned")["turn"] == 12


def test_pilot_settings_and_the_turn_log(pg_settings: Settings) -> None:
    from app.kpis.turnlog import TurnLog, TurnRow
    from app.pilot import PilotStore, ShopPilot

    ensure_demo_store(pg_settings)
    pilot = PilotStore(pg_settings)
    pilot.set("fresh", "human", actor="ops")
    pilot.set("books", "split", 0.25, actor="ops")
    assert PilotStore(pg_settings).show() == {"default": {"mode": "bot"}, "categories": {
        "books": {"mode": "split", "share": 0.25}, "fresh": {"mode": "human"}}}
    assert [h["category"] for h in pilot.history()] == ["books", "fresh"]
    fresh_order = ensure_demo_store(pg_settings).demo_cases()["delivered_fresh"]
    assert ShopPilot(pg_settings).order_categories("demo", fresh_order) == ["fresh"]
    assert ShopPilot(pg_settings).order_categories("u00001", fresh_order) == []
    log = TurnLog(pg_settings)
    row = TurnRow("s1", "demo", 1, 100.0, 12.5, "greeting", "neutral", "front", False, True, None, None, None)
    log.record(row)
    assert log.rows(since=50.0) == [row] and log.rows(since=150.0) == []
