"""`kefu chat` in separate processes: the conversation survives a process restart (SQLite checkpoints)."""

from __future__ import annotations

import json
import subprocess
import sys


def kefu(data_dir, *args: str) -> subprocess.CompletedProcess:
    env_cmd = [sys.executable, "-m", "app", *args]
    return subprocess.run(env_cmd, capture_output=True, text=True, timeout=180,
                          env={"KEFU_DATA_DIR": str(data_dir), "KEFU_DEMO_USERS": "10", "KEFU_DEMO_ORDERS": "100",
                               "PATH": "/usr/bin:/bin", "HOME": str(data_dir)})


def test_order_id_survives_a_new_process(tmp_path):
    first = kefu(tmp_path, "chat", "--session", "r1", "--user", "demo", "帮我查下订单368867462071", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["state"]["slots"]["order_id"] == "368867462071"
    second = kefu(tmp_path, "chat", "--session", "r1", "--user", "demo", "它到哪了", "--json")
    assert second.returncode == 0, second.stderr
    turn = json.loads(second.stdout)
    assert turn["actions"][0]["args"]["order_id"] == "368867462071"
    assert turn["state"]["turn"] == 2


def test_bad_input_exits_non_zero_with_one_line(tmp_path):
    result = kefu(tmp_path, "chat", "--session", "bad id!", "--user", "demo", "hi", "--json")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "invalid session" in result.stderr
    assert "Traceback" not in result.stderr
