"""Voice fixtures: Mandarin speech synthesised locally by espeak-ng (calm and raised), a transcription server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def speak(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., bytes]:
    """speak(text, speed=, pitch=, amplitude=) -> WAV bytes of espeak-ng's Mandarin voice."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (install.sh --test installs it)")
    folder = tmp_path_factory.mktemp("speech")

    def run(text: str, speed: int = 150, pitch: int = 40, amplitude: int = 80) -> bytes:
        out = folder / f"{abs(hash((text, speed, pitch, amplitude)))}.wav"
        subprocess.run(["espeak-ng", "-v", "cmn", "-s", str(speed), "-p", str(pitch), "-a", str(amplitude),
                        "-w", str(out), text], check=True, capture_output=True)
        return out.read_bytes()

    return run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def asr_server() -> Iterator[Callable[[str], str]]:
    """asr_server(text) starts the transcription test double (a real HTTP server process) and returns its
    /v1 base URL."""
    procs: list[subprocess.Popen] = []

    def start(text: str) -> str:
        port = _free_port()
        procs.append(subprocess.Popen([sys.executable, str(HERE / "asr_double.py"), "--port", str(port),
                                       "--text", text]))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/docs", timeout=1)
                return base + "/v1"
            except httpx.HTTPError:
                time.sleep(0.2)
        pytest.fail("the transcription server did not start")

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)
