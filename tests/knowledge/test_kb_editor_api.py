"""The editor's API contracts: no silent overwrites, drafts, diffs, the test question, errors naming their field."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from kbtools import policy_md

from app.api.main import create_app
from app.settings import Settings

PET = policy_md("return-7day", "宠物用品退换规则", "宠物食品开封后不支持退换。\n\n活体宠物不支持退换。", category="returns")


@pytest.fixture
def settings(demo_copy: Path) -> Settings:
    return Settings(data_dir=demo_copy)


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


@pytest.fixture
def editor(client: TestClient, settings: Settings) -> dict[str, str]:
    res = client.post("/api/auth/login", json={"login": settings.admin_user, "password": settings.admin_password})
    return {"Authorization": f"Bearer {res.json()['token']}"}


def _state(client: TestClient, editor: dict[str, str], pid: str) -> tuple:
    doc = client.get(f"/api/policies/{pid}", headers=editor).json()
    history = client.get(f"/api/policies/{pid}/history", headers=editor).json()
    return doc["version"], doc["title"], doc["body"], len(history)


def test_create_with_an_existing_id_is_refused_and_changes_nothing(client, editor) -> None:
    before = _state(client, editor, "return-7day")
    res = client.post("/api/policies", json={"markdown": PET, "create": True}, headers=editor)
    assert res.status_code == 409
    detail = res.json()["detail"]
    assert detail["field"] == "id" and detail["code"] == "id_taken"
    assert "七天无理由退货" in detail["message"] and "return-7day" in detail["message"]  # names the policy that has it
    assert _state(client, editor, "return-7day") == before
    listing = {p["policy_id"]: p["title"] for p in client.get("/api/policies", headers=editor).json()}
    assert listing["return-7day"] == "七天无理由退货"
    early = client.post("/api/policies/_diff", json={"markdown": PET, "create": True}, headers=editor)
    assert early.status_code == 409 and early.json()["detail"]["code"] == "id_taken"  # said before confirming
    english = client.post("/api/policies", json={"markdown": PET, "create": True},
                          headers={**editor, "Accept-Language": "en-US,en;q=0.9"})
    assert "already used by" in english.json()["detail"]["message"]
    fresh = client.post("/api/policies", json={"markdown": PET.replace("return-7day", "pet-returns"), "create": True},
                        headers=editor)
    assert fresh.status_code == 200 and fresh.json()["version"] == 1


def test_a_publish_on_top_of_a_newer_version_is_refused(client, editor) -> None:
    doc = client.get("/api/policies/shipping-fee", headers=editor).json()
    base = doc["base_version"]
    mine = doc["markdown"].replace("满99元包邮", "满79元包邮")
    theirs = doc["markdown"].replace("满99元包邮", "满88元包邮")
    first = client.post("/api/policies", json={"markdown": theirs, "base_version": base, "policy_id": "shipping-fee"},
                        headers=editor)
    assert first.status_code == 200
    stale = client.post("/api/policies", json={"markdown": mine, "base_version": base, "policy_id": "shipping-fee"},
                        headers=editor)
    assert stale.status_code == 409
    detail = stale.json()["detail"]
    assert detail["field"] == "base_version" and f"v{base}" in detail["message"] and "没有发布" in detail["message"]
    assert "88元" in client.get("/api/policies/shipping-fee", headers=editor).json()["body"]
    moved = client.post("/api/policies", json={"markdown": mine.replace("shipping-fee", "invoice"),
                                               "policy_id": "shipping-fee"}, headers=editor)
    assert moved.status_code == 400 and moved.json()["detail"]["field"] == "id"


def test_diff_between_versions_and_against_a_draft(client, editor) -> None:
    doc = client.get("/api/policies/shipping-fee", headers=editor).json()
    edited = doc["markdown"].replace("满99元包邮", "满66元包邮")
    draft_diff = client.post("/api/policies/_diff", json={"markdown": edited}, headers=editor).json()
    assert draft_diff["from"] == doc["version"] and draft_diff["to"] == "draft"
    assert any(line.startswith("-") and "99元" in line for line in draft_diff["diff"])
    assert any(line.startswith("+") and "66元" in line for line in draft_diff["diff"])
    client.post("/api/policies", json={"markdown": edited}, headers=editor)
    res = client.get("/api/policies/shipping-fee/diff", params={"from": 1, "to": 2}, headers=editor).json()
    assert (res["from"], res["to"]) == (1, 2)
    assert res["diff"][:2] == ["--- v1", "+++ v2"]
    changed = [line for line in res["diff"] if line[:1] in "+-" and not line.startswith(("---", "+++"))]
    assert any("99元" in line for line in changed) and any("66元" in line for line in changed)
    assert client.get("/api/policies/shipping-fee/diff", params={"from": 1, "to": 1}, headers=editor).json()["diff"] == []
    missing = client.get("/api/policies/shipping-fee/diff", params={"from": 1, "to": 9}, headers=editor)
    assert missing.status_code == 404 and missing.json()["detail"]["field"] == "version"


def test_ask_answers_from_the_draft_without_publishing_it(client, editor) -> None:
    doc = client.get("/api/policies/shipping-fee", headers=editor).json()
    draft = doc["markdown"].replace("满99元包邮", "满66元包邮")
    res = client.post("/api/policies/_ask", json={"markdown": draft, "question": "买多少钱可以包邮？"}, headers=editor)
    assert res.status_code == 200, res.text
    answer = res.json()
    assert "66元" in answer["reply"] and "99元" not in answer["reply"]
    assert any(c["policy_id"] == "shipping-fee" for c in answer["citations"])
    assert any("66元" in c["text"] for c in answer["clauses"])
    assert "99元" in answer["today"]["reply"]
    assert client.get("/api/policies/shipping-fee", headers=editor).json()["version"] == doc["version"]
    assert "99元" in client.get("/api/policies/_search", params={"q": "满多少包邮"}, headers=editor).json()[0]["text"]
    empty = client.post("/api/policies/_ask", json={"markdown": draft, "question": "  "}, headers=editor)
    assert empty.status_code == 400 and empty.json()["detail"]["field"] == "question"


def test_drafts_are_saved_resumed_and_dropped_on_publish(client, editor) -> None:
    half = "---\nid: pet-returns\ntitle: 宠物用品\n---\n写到一半"
    saved = client.post("/api/policies/_drafts", json={"markdown": half, "is_new": True}, headers=editor).json()
    assert saved["policy_id"] == "pet-returns" and saved["title"] == "宠物用品"
    assert client.get("/api/policies/pet-returns", headers=editor).status_code == 404  # nothing published
    broken = client.put(f"/api/policies/_drafts/{saved['draft_id']}", json={"markdown": "---\ntitle：坏\n", "is_new": True},
                        headers=editor)
    assert broken.status_code == 200  # a draft keeps work that does not parse yet
    listed = client.get("/api/policies/_drafts", headers=editor).json()
    assert [d["draft_id"] for d in listed] == [saved["draft_id"]]
    assert client.get(f"/api/policies/_drafts/{saved['draft_id']}", headers=editor).json()["markdown"] == "---\ntitle：坏\n"
    done = client.post("/api/policies", json={"markdown": half + "完毕。", "create": True, "draft_id": saved["draft_id"]},
                       headers=editor)
    assert done.status_code == 200
    assert client.get("/api/policies/_drafts", headers=editor).json() == []
    assert client.get("/api/policies/_drafts/999", headers=editor).status_code == 400


@pytest.mark.parametrize(
    "markdown, field, words",
    [
        ("---\nid: x-1\ntitle：全角冒号\nbody: 1\n---\n正文", None, None),  # accepted: read as a colon
        ("---\nid: x-1\ntitle: t\neffective_from: 2026-13-45\n---\n正文", "effective_from", "2026-13-45"),
        ("---\nid: x-1\ntitle: t\neffective_to: 2026-02-30\n---\n正文", "effective_to", "不是有效日期"),
        ("---\nid: x-1\nbase: &a [1, 2]\ntitle: *a\n---\n正文", "front_matter", "锚点"),
        ("---\nid: x-1\ntitle: [a, b]\n---\n正文", "title", "标题"),
        ("---\nid: x-1\ntitle: a: b: c\n---\n正文", "title", "第 3 行"),
        ("---\nid: X 1\ntitle: t\n---\n正文", "id", "编号"),
        ("---\nid: x-1\ntitle: t\nlocale: fr\n---\n正文", "locale", "fr"),
        ("---\nid: x-1\ntitle: t\n---\n   ", "body", "正文"),
        ("没有文档头", "front_matter", "文档头"),
        ("---\nid: x-1\ntitle: t\nversion: 1.5\n---\n正文", "version", "版本号"),
    ],
)
def test_malformed_input_is_a_4xx_naming_the_field_in_chinese(client, editor, markdown, field, words) -> None:
    for path in ("/api/policies/_diff", "/api/policies"):
        res = client.post(path, json={"markdown": markdown, "create": True}, headers=editor)
        if field is None:
            assert res.status_code == 200, res.text
            continue
        assert res.status_code == 400, res.text
        detail = res.json()["detail"]
        assert detail["field"] == field and words in detail["message"]
        message = detail["message"]
        assert re.search(r"[\u4e00-\u9fff]", message) and not re.search(r"scanning|mapping|expected|Error", message)
    preview = client.post("/api/policies/_preview", json={"markdown": markdown}, headers=editor).json()
    assert preview["valid"] is (field is None) and preview["field"] == field


def test_bad_dates_and_bad_requests_never_give_a_5xx(client, editor) -> None:
    doc = client.get("/api/policies/shipping-fee", headers=editor).json()
    for value in ("2026-13-45", "2026-05", "明天", "0000-00-00", "9" * 30):
        res = client.post("/api/policies", json={"markdown": doc["markdown"], "effective_from": value}, headers=editor)
        assert res.status_code == 400 and res.json()["detail"]["field"] == "effective_from", value
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    past = client.post("/api/policies", json={"markdown": doc["markdown"], "effective_from": yesterday}, headers=editor)
    assert past.status_code == 400 and "今天" in past.json()["detail"]["message"]
    for body in ({}, {"markdown": 5}, {"markdown": "x", "base_version": "abc"}, {"markdown": "", "create": True}):
        assert client.post("/api/policies", json=body, headers=editor).status_code == 422
    assert client.post("/api/policies/shipping-fee/rollback", json={"version": 0}, headers=editor).status_code == 422
    assert client.get("/api/policies/shipping-fee/diff", params={"from": "a", "to": 1}, headers=editor).status_code == 422
    assert client.get("/api/policies", params={"status": "gone"}, headers=editor).status_code == 422


NASTY_DOCS = [
    "---\nid: x-1\ntitle: t\na: " + "[" * 5000 + "]" * 5000 + "\n---\n正文",  # deeper than the parser's recursion
    "---\nid: x-1\ntitle: t\nversion: " + "9" * 40 + "\n---\n正文",
    "---\nid: !!python/object:os.system x\ntitle: t\n---\n正文",
    "---\n? [a, b]\n: c\n---\n正文",
    "---\n---\n",
    "\ufeff---\r\nid：x-1\r\ntitle：全角\r\n---\r\n正文",
    "---\nid: x-1\ntitle: t\neffective_from: 99999-01-01\n---\n正文",
    "---\nid: x-1\ntitle: t\ntwin: x-1\n---\n正文",
    "\x00\x01---",
]
BIG = 2**70


def test_no_input_gives_a_5xx(client, editor) -> None:
    calls = [("post", path, {"markdown": doc, "question": "退货", "create": True})
             for doc in NASTY_DOCS for path in ("/api/policies", "/api/policies/_diff", "/api/policies/_preview",
                                                "/api/policies/_ask", "/api/policies/_drafts")]
    calls += [
        ("post", "/api/policies", {"markdown": NASTY_DOCS[5], "base_version": BIG}),
        ("post", "/api/policies", {"markdown": NASTY_DOCS[5], "draft_id": BIG, "replaces": BIG}),
        ("post", "/api/policies/shipping-fee/rollback", {"version": BIG}),
        ("post", f"/api/policies/shipping-fee/versions/{BIG}/cancel", None),
        ("post", "/api/policies/shipping-fee/versions/1/cancel", None),
        ("get", f"/api/policies/_drafts/{BIG}", None),
        ("put", "/api/policies/_drafts/1", {"markdown": "x", "base_version": BIG}),
        ("delete", "/api/policies/_drafts/-1", None),
        ("get", f"/api/policies/shipping-fee?version={BIG}", None),
        ("get", f"/api/policies/shipping-fee/diff?from=1&to={BIG}", None),
        ("get", "/api/policies/%00%ff", None),
        ("post", "/api/policies/ghost/restore", None),
        ("post", "/api/policies/shipping-fee/restore", None),
        ("post", "/api/policies/ghost/in_step", None),
        ("get", "/api/policies?q=" + "退" * 150, None),
    ]
    for method, path, body in calls:
        res = client.request(method, path, json=body, headers=editor)
        assert res.status_code < 500, (method, path, res.status_code, res.text[:200])
