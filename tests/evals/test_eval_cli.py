"""`kefu eval` from the command line: list, bad input, a gated run (exit 1) and a passing one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.settings import get_settings


@pytest.fixture()
def shop_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path / "shop"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_eval_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "list"]) == 0
    names = [row["suite"] for row in json.loads(capsys.readouterr().out)]
    assert names == ["nlu", "kb", "dialog", "stress", "cache", "load", "scenarios", "replay", "shop"]


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--suite", "nope"], "unknown suite"),
        (["--suite", "dialog", "--conversations", "0"], "--conversations"),
        (["--suite", "dialog", "--gate", "fcr is fine"], "bad gate"),
        (["--suite", "dialog", "--base-url", "ftp://x"], "--base-url"),
        (["--suite", "dialog", "--compare", "/nonexistent/run"], "--compare"),
        (["--suite", "nlu", "--data", "/nonexistent/heldout.jsonl"], "--data"),
    ],
)
def test_bad_input_is_one_line(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "run", "--out", str(tmp_path / "o"), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


@pytest.mark.slow
def test_gated_run_and_compare(shop_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = shop_env / "run1"
    code = main(
        [
            "eval",
            "run",
            "--suite",
            "dialog",
            "--conversations",
            "3",
            "--out",
            str(first),
            "--quiet",
            "--gate",
            "fcr>=1.01",
        ]
    )
    assert code == 1
    assert "gate failed: fcr>=1.01" in capsys.readouterr().err
    assert (first / "report.html").exists() and "fcr" in json.loads((first / "summary.json").read_text())
    second = shop_env / "run2"
    code = main(
        [
            "eval",
            "run",
            "--suite",
            "dialog",
            "--conversations",
            "3",
            "--out",
            str(second),
            "--quiet",
            "--compare",
            str(first),
            "--gate",
            "conversations>=3",
        ]
    )
    assert code == 0
    assert not (shop_env / "shop" / "shop.db").exists()  # the run used a temporary shop
