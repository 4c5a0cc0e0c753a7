"""Live updates across processes: two real servers share one data dir; an editor changes policies through one
(publish, retire, roll back, restore, a new policy), and the very next chat answer of the other shows it,
although that server had the old answer in its answer cache."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.settings import Settings

pytestmark = [pytest.mark.slow]
FEE_QUESTION = "满多少钱包邮？"
PET_QUESTION = "宠物食品开封了还能退货吗"


class Shop:
    """One server of the shop, seen by a customer and by an editor."""

    def __init__(self, base: str, settings: Settings) -> None:
        self.http = httpx.Client(base_url=base, timeout=120)
        token = self.http.post("/api/auth/login", json={"login": settings.admin_user,
                                                        "password": settings.admin_password}).json()["token"]
        self.editor = {"Authorization": f"Bearer {token}"}

    def chat(self, message: str) -> dict[str, Any]:
        res = self.http.post("/api/chat", json={"session": f"live-{uuid.uuid4().hex[:12]}", "user": "demo",
                                                "message": message})
        assert res.status_code == 200, res.text
        return res.json()

    def edit(self, method: str, path: str, **body: Any) -> dict[str, Any]:
        res = self.http.request(method, path, json=body or None, headers=self.editor)
        assert res.status_code == 200, res.text
        return res.json()

    def cache_hits(self) -> int:
        return int(self.http.get("/api/metrics", headers=self.editor).json()["answer_cache"]["hits"])


def cites(turn: dict[str, Any]) -> dict[str, int]:
    return {c["policy_id"]: c["version"] for c in turn["citations"]}


@pytest.fixture
def shops(serve_kefu, demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Shop, Shop]:
    monkeypatch.setenv("KEFU_DEMO_USERS", "10")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "60")
    settings = Settings(data_dir=demo_copy)
    customer_side = Shop(serve_kefu(demo_copy), settings)
    editor_side = Shop(serve_kefu(demo_copy), settings)
    return customer_side, editor_side


def test_every_change_reaches_the_next_answer_of_another_process(shops: tuple[Shop, Shop]) -> None:
    a, b = shops
    first = a.chat(FEE_QUESTION)
    assert "99元" in first["reply"] and cites(first).get("shipping-fee") == 1
    hits = a.cache_hits()
    assert "99元" in a.chat(FEE_QUESTION)["reply"] and a.cache_hits() == hits + 1  # served from A's cache

    doc = b.edit("GET", "/api/policies/shipping-fee")
    b.edit("POST", "/api/policies", markdown=doc["markdown"].replace("满99元包邮", "满66元包邮"),
           base_version=doc["base_version"], policy_id="shipping-fee")
    published = a.chat(FEE_QUESTION)
    assert "66元" in published["reply"] and "99元" not in published["reply"] and cites(published)["shipping-fee"] == 2

    b.edit("POST", "/api/policies/shipping-fee/retire")
    retired = a.chat(FEE_QUESTION)
    assert "shipping-fee" not in cites(retired) and "66元" not in retired["reply"]

    b.edit("POST", "/api/policies/shipping-fee/rollback", version=1)
    rolled_back = a.chat(FEE_QUESTION)
    assert "99元" in rolled_back["reply"] and cites(rolled_back)["shipping-fee"] == 1

    b.edit("POST", "/api/policies", markdown=doc["markdown"].replace("满99元包邮", "满88元包邮"),
           base_version=1, policy_id="shipping-fee")
    republished = a.chat(FEE_QUESTION)
    assert "88元" in republished["reply"] and cites(republished)["shipping-fee"] == 3

    b.edit("POST", "/api/policies/shipping-fee/retire")
    a.chat(FEE_QUESTION)
    b.edit("POST", "/api/policies/shipping-fee/restore")
    restored = a.chat(FEE_QUESTION)
    assert "88元" in restored["reply"] and cites(restored)["shipping-fee"] == 3


def test_a_new_policy_reaches_an_answer_cached_from_another_policy(shops: tuple[Shop, Shop]) -> None:
    a, b = shops
    before = a.chat(PET_QUESTION)
    assert "pet-returns" not in cites(before)
    a.chat(PET_QUESTION)
    pets = "---\nid: pet-returns\ntitle: 宠物用品退货规则\ncategory: returns\n---\n宠物食品开封后不支持退货，未开封的可以七天无理由退货。\n"
    b.edit("POST", "/api/policies", markdown=pets, create=True)
    after = a.chat(PET_QUESTION)
    assert "pet-returns" in cites(after) and "开封" in after["reply"]
