"""A shop's first `kefu kb import` retires the demo policies (unless --keep-demo); later imports retire nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from kbtools import policy_md

from app.cli import main
from app.settings import Settings, get_settings
from knowledge import import_path, open_kb
from knowledge.demo import demo_ids


@pytest.fixture
def data_dir(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEFU_DATA_DIR", str(demo_copy))
    get_settings.cache_clear()
    yield demo_copy
    get_settings.cache_clear()


def _shop(folder: Path, *docs: tuple[str, str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for pid, title, body in docs:
        (folder / f"{pid}.md").write_text(policy_md(pid, title, body), "utf-8")
    return folder


SHOP = (("anju-fee", "运费标准", "小件满99元包邮，不满99元收运费10元。"),
        ("anju-refund", "退款到账时间", "信用卡退款6-10个工作日到账。"))


def _import(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["kb", "import", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def _served(folder: Path) -> set[str]:
    kb = open_kb(Settings(data_dir=folder))
    return {row["policy_id"] for row in kb.list() if row["status"] == "active"}


def test_first_import_retires_demo_and_answers_only_from_the_shop(data_dir, tmp_path, capsys) -> None:
    summary = _import(capsys, str(_shop(tmp_path / "shop", *SHOP)))
    assert summary["imported"] == 2 and summary["retired_demo"] == len(demo_ids())
    assert _served(data_dir) == {"anju-fee", "anju-refund"}
    assert main(["kb", "search", "运费多少钱 包邮吗", "-k", "5", "--json"]) == 0
    assert {h["policy_id"] for h in json.loads(capsys.readouterr().out)} <= {"anju-fee", "anju-refund"}
    assert main(["kb", "history", "shipping-fee", "--json"]) == 0  # history kept
    assert [h["status"] for h in json.loads(capsys.readouterr().out)] == ["retired"]
    again = _import(capsys, str(_shop(tmp_path / "more", ("anju-cod", "货到付款", "货到付款限5000元以内。"))))
    assert again["retired_demo"] == 0 and _served(data_dir) == {"anju-fee", "anju-refund", "anju-cod"}


def test_keep_demo_keeps_the_demo_set(data_dir, tmp_path, capsys) -> None:
    summary = _import(capsys, str(_shop(tmp_path / "shop", *SHOP)), "--keep-demo")
    assert summary["retired_demo"] == 0
    assert {"anju-fee", "shipping-fee", "return-7day"} <= _served(data_dir)


def test_a_shop_that_changed_a_demo_policy_keeps_it(demo_copy, tmp_path) -> None:
    kb = open_kb(Settings(data_dir=demo_copy))
    kb.publish(policy_md("shipping-fee", "运费", "满199元包邮。"), "editor")
    summary = import_path(kb, _shop(tmp_path / "shop", *SHOP), "cli")
    assert summary["retired_demo"] == 0 and "return-7day" in _served(demo_copy)


def test_a_rejected_import_retires_nothing(demo_copy, tmp_path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.md").write_text("---\nid: Bad Id\ntitle: x\n---\nbody", "utf-8")
    kb = open_kb(Settings(data_dir=demo_copy))
    summary = import_path(kb, bad, "cli")
    assert summary["retired_demo"] == 0 and len(summary["rejected"]) == 1
    assert len(_served(demo_copy)) == len(demo_ids())


def test_an_imported_demo_id_stays_in_force(demo_copy, tmp_path) -> None:
    kb = open_kb(Settings(data_dir=demo_copy))
    shop = _shop(tmp_path / "shop", ("shipping-fee", "运费", "满199元包邮，不满收15元。"), *SHOP)
    summary = import_path(kb, shop, "cli")
    assert summary["retired_demo"] == len(demo_ids()) - 1
    assert _served(demo_copy) == {"shipping-fee", "anju-fee", "anju-refund"}
    assert "199元" in kb.search("运费", k=1)[0]["text"]
