"""Throwaway back-end servers for benchmarks and integration tests: a private Postgres cluster (Debian's
`initdb`/`pg_ctl` in a temp dir on a free port, run as the `postgres` user when the caller is root) and a
`chroma run` server. Both bind 127.0.0.1 only; nothing here is for production (fsync is off).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_bin() -> Path | None:
    """The folder of Debian's postgresql binaries, or None when the package is not installed."""
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit()
                   else 0)
    return Path(found[-1]) if found and (Path(found[-1]) / "initdb").exists() else None


class ThrowawayPostgres:
    """A private Postgres cluster in a temp dir, trust auth on 127.0.0.1, fsync off (tests only)."""

    def __init__(self) -> None:
        bin_dir = pg_bin()
        if bin_dir is None:
            raise FileNotFoundError("Debian's postgresql package is not installed (no initdb/pg_ctl)")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="kefu-pg-"))
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
        self.data = self.root / "data"
        self.port = free_port()
        self._run("initdb", "-D", str(self.data), "-U", "kefu", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        self._count = 0

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stops the server (`immediate`: as if it crashed)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://kefu@127.0.0.1:{self.port}/{database}"

    def database(self, prefix: str = "kefu") -> str:
        """A new empty database; its URL."""
        import psycopg

        self._count += 1
        name = f"{prefix}_{os.getpid()}_{self._count}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class ChromaServer:
    """`chroma run` on a free loopback port with its data in `path`; use as a context manager."""

    def __init__(self, path: Path, ready_timeout_s: float = 90.0) -> None:
        self.path = Path(path)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.path.with_name(self.path.name + ".log")
        chroma = str(Path(sys.executable).parent / "chroma")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([chroma, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port",
                                          str(self.port)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + ready_timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}; see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/api/v2/heartbeat", timeout=2).status_code == 200:
                    return
            time.sleep(0.3)
        self.close()
        raise TimeoutError(f"chroma run not ready in {ready_timeout_s:.0f}s; see {self.log}")

    def __enter__(self) -> ChromaServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(timeout=15)
