"""Fixtures for the generation tests: tiny offline models and a real `transformers serve` process."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tiny_lm import DIGITS, LETTERS, build_tiny_lm


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two random tiny chat models: one can only write digits, one only letters and spaces."""
    root = tmp_path_factory.mktemp("tiny_lms")
    return {"digits": build_tiny_lm(root / "digits", DIGITS), "letters": build_tiny_lm(root / "letters", LETTERS)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def llm_server(tiny_models: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (…/v1) of a `transformers serve` process on loopback that loads the tiny models by path."""
    exe = Path(sys.executable).parent / "transformers"
    if not exe.exists() and shutil.which("transformers") is None:
        pytest.skip("the transformers CLI is not installed")
    port = _free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")  # the test machine reaches no model hub
        proc = subprocess.Popen([str(exe if exe.exists() else "transformers"), "serve", "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"transformers serve exited with {proc.returncode}")
            try:
                if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("transformers serve did not become healthy in 120 s")
        for model in tiny_models.values():  # load both models before timing-sensitive tests
            httpx.post(f"{base}/v1/chat/completions", timeout=60,
                       json={"model": str(model), "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2})
        yield f"{base}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
