"""What the editor relies on in the knowledge base: guarded publishing, scheduled versions, restore, twins,
the list's search and filters, drafts, and the served set's version that answer caches are keyed by."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from kbtools import policy_md

from knowledge import EditConflictError, Expect, KbError
from knowledge.documents import for_editor
from knowledge.drafts import DraftIn

FEE = policy_md("shipping-fee", "运费标准", "订单满99元包邮，不满收8元。", category="shipping")
FEE_EN = policy_md("shipping-fee-en", "Shipping fees", "Orders of 99 yuan or more ship free.", locale="en")
GIFT = policy_md("gift-card", "礼品卡", "礼品卡不记名、不挂失，有效期三年。", category="payment")


def test_policy_set_version_changes_with_every_change_of_what_is_served(empty_kb) -> None:
    seen = [empty_kb.policy_set_version()]

    def changed() -> bool:
        seen.append(empty_kb.policy_set_version())
        return seen[-1] != seen[-2]

    empty_kb.publish(FEE, "a")
    assert changed()
    empty_kb.publish(GIFT, "a")
    assert changed()
    empty_kb.publish(FEE, "a")  # unchanged: nothing new is served
    assert not changed()
    empty_kb.drafts.save(DraftIn(markdown=FEE), "a")
    assert not changed()  # a draft serves nothing
    empty_kb.retire("gift-card", "a")
    assert changed()
    empty_kb.restore("gift-card", "a")
    assert changed() and seen[-1] == seen[-3]  # the same set as before the retirement
    empty_kb.publish(FEE.replace("99元", "88元"), "a")
    assert changed()
    empty_kb.rollback("shipping-fee", 1, "a")
    assert changed()


def test_a_scheduled_version_changes_the_set_on_its_date(empty_kb, monkeypatch) -> None:
    empty_kb.publish(FEE, "a")
    start = empty_kb.today() + timedelta(days=3)
    empty_kb.publish(for_editor(FEE.replace("99元", "59元"), start.isoformat(), empty_kb.today()), "a")
    before = empty_kb.policy_set_version()
    monkeypatch.setattr(empty_kb, "today", lambda: start)
    assert empty_kb.policy_set_version() != before
    assert "59元" in empty_kb.search("满多少包邮", k=1)[0]["text"]


def test_guarded_publishing_refuses_overwrites_inside_the_transaction(empty_kb) -> None:
    empty_kb.publish(FEE, "a")
    with pytest.raises(EditConflictError, match="运费标准"):
        empty_kb.publish(GIFT.replace("gift-card", "shipping-fee"), "b", Expect(create=True))
    assert empty_kb.get("shipping-fee")["title"] == "运费标准" and len(empty_kb.history("shipping-fee")) == 1
    empty_kb.publish(FEE.replace("99元", "88元"), "b", Expect(base_version=1))
    with pytest.raises(EditConflictError) as stale:
        empty_kb.publish(FEE.replace("99元", "77元"), "c", Expect(base_version=1))
    assert "b" in stale.value.message("en") and stale.value.field == "base_version"
    empty_kb.rollback("shipping-fee", 1, "d")  # the newest live version is v1 again: an edit from v2 is stale
    with pytest.raises(EditConflictError):
        empty_kb.publish(FEE.replace("99元", "77元"), "c", Expect(base_version=2))


def test_new_editor_versions_start_today_not_on_the_old_date(empty_kb) -> None:
    old = FEE.replace("category: shipping", "category: shipping\neffective_from: 2025-01-01")
    empty_kb.publish(old, "a")
    today = empty_kb.today()
    doc = for_editor(empty_kb.get("shipping-fee")["markdown"].replace("99元", "66元"), None, today)
    assert doc.effective_from == today
    empty_kb.publish(doc, "a")
    assert [h["effective_from"] for h in empty_kb.history("shipping-fee")] == ["2025-01-01", today.isoformat()]
    same = for_editor(empty_kb.get("shipping-fee")["markdown"], None, today)
    assert empty_kb.publish(same, "a")["status"] == "unchanged"


def test_scheduled_versions_can_be_edited_cancelled_and_not_rolled_back_to(empty_kb) -> None:
    empty_kb.publish(FEE, "a")
    today = empty_kb.today()
    later, sooner = (today + timedelta(days=10)).isoformat(), (today + timedelta(days=5)).isoformat()
    assert empty_kb.publish(for_editor(FEE.replace("99元", "59元"), later, today), "a")["version"] == 2
    with pytest.raises(KbError, match="scheduled"):
        empty_kb.rollback("shipping-fee", 2, "a")
    edited = empty_kb.publish(for_editor(FEE.replace("99元", "49元"), sooner, today), "a", Expect(replaces=2))
    assert edited["version"] == 3
    statuses = {h["version"]: h["status"] for h in empty_kb.history("shipping-fee")}
    assert statuses == {1: "current", 2: "withdrawn", 3: "scheduled"}
    empty_kb.cancel_scheduled("shipping-fee", 3, "a")
    assert {h["version"]: h["status"] for h in empty_kb.history("shipping-fee")}[3] == "withdrawn"
    with pytest.raises(KbError, match="not a scheduled"):
        empty_kb.cancel_scheduled("shipping-fee", 1, "a")
    assert [a["action"] for a in empty_kb.audit("shipping-fee")][:3] == ["cancel", "cancel", "schedule"]
    empty_kb.publish(for_editor(FEE.replace("99元", "39元"), later, today), "a")
    empty_kb.publish(for_editor(FEE.replace("99元", "29元"), None, today), "a")  # starts now: v4 could never start
    assert {h["version"]: h["status"] for h in empty_kb.history("shipping-fee")}[4] == "withdrawn"


def test_retire_then_restore_serves_the_same_version_again(empty_kb) -> None:
    empty_kb.publish(FEE, "a")
    empty_kb.retire("shipping-fee", "a")
    assert empty_kb.search("包邮", k=3) == []
    assert empty_kb.restore("shipping-fee", "b")["version"] == 1
    hit = empty_kb.search("满多少钱包邮", k=1)[0]
    assert hit["policy_id"] == "shipping-fee" and hit["score"] > 0.4  # dense vectors are back, not lexical only
    with pytest.raises(KbError, match="not retired"):
        empty_kb.restore("shipping-fee", "b")
    assert empty_kb.audit("shipping-fee")[0]["action"] == "restore"


def test_changing_one_twin_flags_the_other_until_it_changes(empty_kb) -> None:
    empty_kb.publish_many([for_editor(FEE, None, empty_kb.today()), for_editor(FEE_EN, None, empty_kb.today())], "a")
    rows = {p["policy_id"]: p for p in empty_kb.list()}
    assert rows["shipping-fee"]["twin"] == "shipping-fee-en" and rows["shipping-fee-en"]["outdated_by"] is None
    empty_kb.publish(FEE.replace("99元", "88元"), "a")
    rows = {p["policy_id"]: p for p in empty_kb.list()}
    assert (rows["shipping-fee-en"]["outdated_by"], rows["shipping-fee-en"]["outdated_version"]) == ("shipping-fee", 2)
    assert rows["shipping-fee"]["outdated_by"] is None
    assert empty_kb.get("shipping-fee-en")["outdated_by"] == "shipping-fee"
    empty_kb.publish(FEE_EN.replace("99", "88"), "a")
    assert all(p["outdated_by"] is None for p in empty_kb.list())
    empty_kb.rollback("shipping-fee", 1, "a")
    assert empty_kb.get("shipping-fee-en")["outdated_by"] == "shipping-fee"
    empty_kb.mark_in_step("shipping-fee-en", "a")
    assert empty_kb.get("shipping-fee-en")["outdated_by"] is None


def test_an_explicit_twin_field_links_any_two_ids(empty_kb) -> None:
    empty_kb.publish(GIFT.replace("category: payment", "category: payment\ntwin: gift-cards-english"), "a")
    empty_kb.publish(policy_md("gift-cards-english", "Gift cards", "Gift cards last three years.", locale="en"), "a")
    empty_kb.publish(GIFT.replace("三年", "两年").replace("category: payment", "category: payment\ntwin: gift-cards-english"),
                     "a")
    assert empty_kb.get("gift-cards-english")["outdated_by"] == "gift-card"


def test_the_list_searches_texts_and_filters_by_status(empty_kb) -> None:
    empty_kb.publish(FEE, "a")
    empty_kb.publish(GIFT, "a")
    empty_kb.publish(policy_md("presale", "预售", "定金不退。", effective_from=(date.today() + timedelta(days=30)).isoformat()),
                     "a")
    empty_kb.retire("gift-card", "a")
    ids = lambda **kw: [p["policy_id"] for p in empty_kb.list(**kw)]  # noqa: E731
    assert ids(query="不挂失") == ["gift-card"]  # found by its text, not its title
    assert ids(query="ＳＨＩＰＰＩＮＧ") == ["shipping-fee"]  # full-width and case folded
    assert ids(query="包邮 8元") == ["shipping-fee"] and ids(query="包邮 礼品") == []
    assert ids(status="retired") == ["gift-card"]
    assert ids(status="active") == ["shipping-fee"]
    assert ids(status="scheduled") == ["presale"]
    assert len(ids()) == 3
