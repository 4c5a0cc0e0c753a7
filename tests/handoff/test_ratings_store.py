"""RatingStore: range checks, one rating per conversation, the low-rated list."""

from __future__ import annotations

import sqlite3

import pytest

from app.ratings import RatingError, RatingStore
from app.settings import Settings


def test_rating_is_stored_in_the_feedback_table(settings: Settings) -> None:
    store = RatingStore(settings)
    saved = store.rate("s1", 3, "  客服答非所问\x00 ")
    assert saved["replaced"] is False and saved["comment"] == "客服答非所问"
    with sqlite3.connect(settings.service_path) as conn:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(ratings)")]
        rows = conn.execute("SELECT session_id, rating, comment FROM ratings").fetchall()
    assert cols == ["session_id", "rating", "comment", "created_at"]
    assert rows == [("s1", 3, "客服答非所问")]


def test_second_rating_replaces_the_first(settings: Settings) -> None:
    store = RatingStore(settings)
    store.rate("s1", 3)
    again = store.rate("s1", 9, "后来解决了")
    assert again["replaced"] is True
    assert store.get("s1")["rating"] == 9
    assert len(store.list()) == 1


def test_below_lists_only_low_ratings(settings: Settings) -> None:
    store = RatingStore(settings)
    for session, rating in (("a", 0), ("b", 7), ("c", 8), ("d", 10)):
        store.rate(session, rating)
    assert sorted(r["session_id"] for r in store.list(below=8)) == ["a", "b"]
    assert len(store.list()) == 4 and len(store.list(limit=2)) == 2


@pytest.mark.parametrize("rating", [-1, 11, 7.5, "7", None, True])
def test_out_of_range_or_non_integer_ratings_are_refused(settings: Settings, rating) -> None:
    with pytest.raises(RatingError, match="rating must be"):
        RatingStore(settings).rate("s1", rating)


def test_bad_session_or_comment_is_refused(settings: Settings) -> None:
    store = RatingStore(settings)
    with pytest.raises(RatingError, match="session is empty"):
        store.rate("  ", 5)
    with pytest.raises(RatingError, match="longer than"):
        store.rate("s1", 5, "长" * 1001)
    with pytest.raises(RatingError, match="comment must be text"):
        store.rate("s1", 5, ["x"])
