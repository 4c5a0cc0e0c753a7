"""`kefu nlu` through a real subprocess: one message, JSON lines, bad input."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import COMMAND_MODULES

ROOT = Path(__file__).resolve().parents[2]
MISSING = [m for m in COMMAND_MODULES if importlib.util.find_spec(f"app.cli.{m}") is None]
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"CLI modules not written yet: {MISSING}")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for the module, so the encoder cache is written once."""
    return tmp_path_factory.mktemp("kefu-nlu-cli")


def kefu(args: list[str], stdin: str = "", tmp_path: Path | None = None) -> subprocess.CompletedProcess:
    env = {"KEFU_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_one_message(data_dir: Path) -> None:
    proc = kefu(["nlu", "帮我查下订单313021098954到哪了"], tmp_path=data_dir)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["entities"][0] == {
        "type": "order_id",
        "value": "313021098954",
        "text": "313021098954",
        "start": 6,
        "end": 18,
    }
    assert result["language"] == "zh"


def test_jsonl_keeps_keys_and_order(data_dir: Path) -> None:
    lines = [{"id": i, "text": t} for i, t in enumerate(["你好", "", "where is my package", "退款到哪了"])]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    proc = kefu(["nlu", "--jsonl"], stdin=stdin, tmp_path=data_dir)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == [0, 1, 2, 3]
    assert all("intent" in o for o in out)


def test_bad_jsonl_line_is_reported(data_dir: Path) -> None:
    proc = kefu(["nlu", "--jsonl"], stdin='not json\n{"text": "你好"}\n', tmp_path=data_dir)
    assert proc.returncode == 2
    assert "line 1" in proc.stderr and "Traceback" not in proc.stderr
    assert json.loads(proc.stdout.splitlines()[1])["intent"] == "greeting"


def test_no_text_is_a_clear_error(data_dir: Path) -> None:
    proc = kefu(["nlu"], tmp_path=data_dir)
    assert proc.returncode == 2
    assert proc.stderr.startswith("kefu:") and "Traceback" not in proc.stderr
