"""Session locks on one machine (SQLite deployments, several `kefu serve` workers): one session's turns take
turns across processes and threads; other sessions are not held up."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from storage import SessionBusy, SessionLocks

REPO = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
from pathlib import Path
from storage import SessionLocks
with SessionLocks(None, Path(sys.argv[1])).hold(sys.argv[2]):
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def _hold_in_another_process(lock_dir: Path, session: str, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_dir), session, str(seconds)], cwd=REPO,
                            stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_session_held_by_another_process_waits_other_sessions_do_not(tmp_path: Path) -> None:
    holder = _hold_in_another_process(tmp_path, "s-1", 1.5)
    locks = SessionLocks(None, tmp_path, wait_s=0.3)
    with pytest.raises(SessionBusy), locks.hold("s-1"):
        pass
    started = time.monotonic()
    with locks.hold("s-2"):
        assert time.monotonic() - started < 0.2
    patient = SessionLocks(None, tmp_path, wait_s=10)
    with patient.hold("s-1"):
        assert holder.poll() is not None or time.monotonic() - started >= 1.0  # got it once the holder let go
    holder.wait(timeout=10)


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    locks, inside, overlaps = SessionLocks(None, tmp_path), [0], []

    def turn() -> None:
        with locks.hold("s-3"):
            inside[0] += 1
            overlaps.append(inside[0])
            time.sleep(0.02)
            inside[0] -= 1

    threads = [threading.Thread(target=turn) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [1] * 8
