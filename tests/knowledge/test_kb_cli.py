"""`kefu kb ...` end to end, and live updates between two processes sharing one data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kbtools import policy_md

from app.cli import main
from app.settings import get_settings

KEFU = [sys.executable, "-m", "app"]


@pytest.fixture
def data_dir(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = demo_copy
    monkeypatch.setenv("KEFU_DATA_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def _policies(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fee.md").write_text(
        policy_md("ship-fee", "运费标准", "满99元包邮，不满99元收运费8元。"), "utf-8"
    )
    (folder / "bad.md").write_text("---\nid: Bad Id\ntitle: x\n---\nbody", "utf-8")
    return folder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_search_history_delete(data_dir: Path, tmp_path: Path, capsys) -> None:
    code, out, _ = _run(capsys, "kb", "import", str(_policies(tmp_path / "src")))
    summary = json.loads(out)
    assert code == 0 and summary["imported"] == 1 and summary["rejected"][0]["file"].endswith("bad.md")
    assert summary["retired_demo"] >= 38  # the shop's first import retires the demo set
    code, out, _ = _run(capsys, "kb", "search", "运费多少钱 包邮吗", "-k", "3", "--json")
    hits = json.loads(out)
    found = {h["policy_id"]: h["version"] for h in hits}
    assert code == 0 and list(found) == ["ship-fee"] and found["ship-fee"] == 1
    code, out, _ = _run(capsys, "kb", "history", "ship-fee", "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "current"
    assert _run(capsys, "kb", "delete", "ship-fee")[0] == 0
    code, out, _ = _run(capsys, "kb", "search", "运费多少钱", "--json")
    assert all(h["policy_id"] != "ship-fee" for h in json.loads(out))
    code, out, _ = _run(capsys, "kb", "history", "ship-fee", "--json")
    assert [h["status"] for h in json.loads(out)] == ["retired"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["kb", "delete", "no-such-policy"], "unknown policy id"),
        (["kb", "history", "no-such-policy", "--json"], "unknown policy id"),
        (["kb", "import", "/no/such/folder"], "no such file"),
        (["kb", "search", "   "], "empty query"),
        (["kb", "rollback", "return-7day", "42"], "no version 42"),
    ],
)
def test_bad_input_is_one_line_on_stderr(data_dir: Path, capsys, argv: list[str], message: str) -> None:
    code, out, err = _run(capsys, *argv)
    assert code != 0 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_importing_only_a_malformed_file_fails(data_dir: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\nid: [oops\n---\nbody", "utf-8")
    code, out, err = _run(capsys, "kb", "import", str(bad))
    assert code == 2 and json.loads(out)["rejected"][0]["error"].startswith("malformed front matter")
    assert "nothing imported" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "empty").mkdir()
    code, _, err = _run(capsys, "kb", "import", str(tmp_path / "empty"))
    assert code == 2 and "no policy files" in err


def test_jsonl_search_and_live_update_from_another_process(data_dir: Path, tmp_path: Path) -> None:
    """A long-running `kefu kb search --jsonl` process sees edits made here, on its next query."""
    from knowledge import open_kb

    kb = open_kb(get_settings())
    env = {**os.environ, "KEFU_DATA_DIR": str(data_dir)}
    reader = subprocess.Popen(
        KEFU + ["kb", "search", "--jsonl", "-k", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )

    def ask(query: str) -> list[dict]:
        reader.stdin.write(json.dumps({"query": query, "id": 1}, ensure_ascii=False) + "\n")
        reader.stdin.flush()
        return json.loads(reader.stdout.readline())

    try:
        first = ask("满多少包邮")
        assert first[0]["policy_id"] == "shipping-fee" and first[0]["version"] == 1
        new = (
            kb.get("shipping-fee")["markdown"].replace("满99元包邮", "满59元包邮").replace("version: 1\n", "")
        )
        assert kb.publish(new, "editor")["version"] == 2
        second = ask("满多少包邮")
        assert second[0]["version"] == 2 and "59元" in second[0]["text"]
        kb.retire("shipping-fee", "editor")
        assert all(h["policy_id"] != "shipping-fee" for h in ask("满多少包邮"))
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)
    assert reader.returncode == 0


def test_edit_in_a_subprocess_is_seen_here(data_dir: Path, tmp_path: Path) -> None:
    from knowledge import open_kb

    kb = open_kb(get_settings())
    assert kb.search("发票抬头写错了能改吗", k=1)[0]["policy_id"] == "invoice-change"
    doc = tmp_path / "inv.md"
    doc.write_text(
        kb.get("invoice-change")["markdown"]
        .replace("只能换开一次", "可以换开两次")
        .replace("version: 1\n", ""),
        "utf-8",
    )
    env = {**os.environ, "KEFU_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        KEFU + ["kb", "import", str(doc), "--editor", "other"],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and json.loads(done.stdout)["updated"] == 1
    hit = kb.search("发票能换开几次", k=1)[0]
    assert (hit["policy_id"], hit["version"]) == ("invoice-change", 2)
    assert kb.audit("invoice-change")[0]["editor"] == "other"
