"""Stored conversations and their ratings are exported for the training feedback loop."""

from __future__ import annotations

import json

from app.cli import main
from app.ratings import RatingStore
from app.service import get_service
from app.settings import Settings


def test_low_rated_conversations_are_exported(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path / "shop"))
    monkeypatch.setenv("KEFU_DEMO_USERS", "10")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "100")
    from app.settings import get_settings

    get_settings.cache_clear()
    settings: Settings = get_settings()
    service = get_service(settings)
    service.run_turn("good", "demo", "你好")
    service.run_turn("bad", "demo", "asdkjh")
    RatingStore(settings).rate("good", 10, "")
    RatingStore(settings).rate("bad", 2, "没解决")
    out = tmp_path / "low.jsonl"
    assert main(["conversations", "export", "--out", str(out), "--below", "8"]) == 0
    assert json.loads(capsys.readouterr().out)["exported"] == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["id"] == "bad" and rows[0]["rating"] == 2
    assert any(t["text"] == "asdkjh" for t in rows[0]["turns"])
    get_settings.cache_clear()
