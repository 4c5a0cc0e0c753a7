"""Start a real `kefu serve` on a free loopback port for the load suite, and stop it.

The child gets the parent's Settings as KEFU_* variables (with its own data dir), so it serves
exactly the shop the evaluation prepared. It only ever binds 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Self

import httpx

BIN_PATH = "/usr/local/bin:/usr/bin:/bin"
NO_RATE_LIMITS = {"turn_limit_per_user": "", "turn_limit_per_address": "", "handoff_limit_per_user": "",
                  "handoff_limit_per_address": ""}
"""Settings for suites that measure capacity or dialogue quality from one address: the rate limits would
turn their traffic into 429s (the `limits` suite measures the limits themselves)."""


def without_rate_limits(settings: Any) -> Any:
    """`settings` with the chat and handoff rate limits switched off."""
    return settings.model_copy(update=NO_RATE_LIMITS)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(settings: Any) -> dict[str, str]:
    """KEFU_* variables reproducing `settings` (None fields left out) plus a minimal PATH."""
    env = {"PATH": f"{Path(sys.executable).parent}:{BIN_PATH}", "PYTHONUNBUFFERED": "1"}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, Path):
            value = value.resolve()
        if value is not None:
            env[f"KEFU_{name.upper()}"] = str(value)
    return env


class KefuServer:
    """A `kefu serve` subprocess on 127.0.0.1:<free port>; use as a context manager."""

    def __init__(self, settings: Any, log_path: Path, ready_timeout_s: float = 180.0, workers: int = 1) -> None:
        self.settings = settings
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.ready_timeout_s = ready_timeout_s
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        cmd = [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--workers", str(self.workers)]
        self.proc = subprocess.Popen(cmd, env=child_env(self.settings), stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)  # its own group: workers die with it
        log.close()
        try:
            self._wait_ready()
        except Exception:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout_s
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"kefu serve exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if httpx.get(self.base_url + "/healthz", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(
            f"kefu serve was not ready within {self.ready_timeout_s:.0f}s; see {self.log_path}"
        )

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
