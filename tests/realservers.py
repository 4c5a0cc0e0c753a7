"""Real servers for integration tests, started as separate processes by the test session.

- `ThrowawayPostgres`, `ChromaServer` (evals/backends.py): Debian's postgresql binaries (`initdb`, `pg_ctl`) in a temp dir on a free port
  (run as the `postgres` user when the tests run as root); `database()` creates one empty database per test.
- `start_process(...)` + `wait_ready(...)`: `kefu shop serve`, `kefu serve` nodes, `chroma run`.
- `FaultProxy`: an HTTP relay in front of a real server that can answer 503, or stall before or after
  forwarding a request (a timeout whose write did, or did not, reach the server).
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from evals.backends import ChromaServer, ThrowawayPostgres, free_port, pg_bin

__all__ = ["REPO", "ChromaServer", "FaultProxy", "ThrowawayPostgres", "free_port", "kefu_command", "kefu_env", "pg_bin",
           "start_process", "stop", "wait_ready"]
REPO = Path(__file__).resolve().parents[1]


def kefu_env(**settings: Any) -> dict[str, str]:
    """The environment of a kefu child process: this one's, minus any KEFU_* setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update({f"KEFU_{k.upper()}": str(v) for k, v in settings.items() if v is not None})
    return env


def start_process(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    """A child process in its own process group, its output in `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen(args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout_s: float = 180.0) -> None:
    """Waits until GET `url` answers 200; raises with the log's tail if the process dies or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}: {log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} not ready in {timeout_s:.0f}s: {log.read_text(errors='replace')[-3000:]}")


def stop(proc: subprocess.Popen, kill: bool = False) -> None:
    """SIGKILL (a crash) or SIGTERM then SIGKILL, for the whole process group."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, 9 if kill else 15)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait(timeout=20)


def kefu_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "app", *args]


class FaultProxy:
    """Relays HTTP to `upstream`; `mode` decides what a request of `methods` meets:
    pass, fail (503, never forwarded), stall_before (wait, then forward: a read that times out, nothing
    done) or stall_after (forward, then wait: the write is done but its answer comes too late)."""

    def __init__(self, upstream: str, stall_s: float = 3.0) -> None:
        self.upstream = upstream.removeprefix("http://")
        self.mode = "pass"
        self.methods = {"GET", "POST"}
        self.stall_s = stall_s
        self.seen: list[tuple[str, str, str]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                mode = proxy.mode if self.command in proxy.methods else "pass"
                proxy.seen.append((self.command, self.path, mode))
                if mode == "fail":
                    self._answer(503, b'{"detail": "injected failure"}')
                    return
                if mode == "stall_before":
                    time.sleep(proxy.stall_s)
                try:
                    status, payload = proxy.forward(self.command, self.path, body, dict(self.headers))
                except OSError:  # the upstream is gone (a test stopped it): a gateway error, as a real proxy says
                    status, payload = 502, b'{"detail": "upstream unreachable"}'
                if mode == "stall_after":
                    time.sleep(proxy.stall_s)
                self._answer(status, payload)

            def _answer(self, status: int, payload: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up waiting

            do_GET = _relay
            do_POST = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def forward(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        host, port = self.upstream.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        keep = {k: v for k, v in headers.items() if k.lower() in ("content-type", "idempotency-key", "authorization")}
        conn.request(method, path, body or None, keep)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        return response.status, payload

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
