"""Executing the same write from several processes at once applies it exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.store import Store

REPO = Path(__file__).resolve().parents[2]
CODE = """
import json, sys
from app.actions.runner import run_action
outcome = run_action(sys.argv[1], user_id="demo", slots={"order_id": sys.argv[2]}, mode="execute")
print(json.dumps({"status": outcome["status"], "reason_code": outcome.get("reason_code")}))
"""


def test_racing_processes_cancel_once(shop: Store, tmp_path: Path) -> None:
    order_id = shop.demo_cases()["processing"]
    env = {**os.environ, "KEFU_DATA_DIR": str(shop.path.parent)}
    procs = [subprocess.Popen([sys.executable, "-c", CODE, "action_cancel_order", order_id], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(r["status"] for r in results) == ["done", "refused", "refused"]
    assert {r["reason_code"] for r in results if r["status"] == "refused"} == {"already_done"}
    assert len(shop.action_log(order_id)) == 1 and len(shop.refunds_for(order_id)) == 1
    assert shop.order_row(order_id)["status"] == "cancelled"
