"""The scale-out topology as real processes: a throwaway Postgres, a `chroma run` server, `kefu shop serve`
(the demo store in that Postgres, behind a fault proxy) and two `kefu serve` nodes with their own empty data
dirs and the same KEFU_DATABASE_URL, KEFU_CHROMA_URL and KEFU_SHOP_URL.

Skipped, with the reason, only where Debian's postgresql binaries are absent (`install.sh --test` installs
them; CI runs these tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from realservers import (
    ChromaServer,
    FaultProxy,
    ThrowawayPostgres,
    free_port,
    kefu_command,
    kefu_env,
    pg_bin,
    start_process,
    stop,
    wait_ready,
)

from app.settings import Settings
from app.shop.demo import DemoShop
from app.store import ensure_demo_store

DEMO = {"demo_users": 10, "demo_orders": 60}


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    if pg_bin() is None:
        pytest.skip("Postgres tests need Debian's postgresql package (initdb, pg_ctl under /usr/lib/postgresql); "
                    "install.sh --test installs it")
    server = ThrowawayPostgres()
    yield server
    server.close()


@dataclass
class Node:
    """One `kefu serve` process."""

    name: str
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    proc: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = start_process(kefu_command("serve", "--host", "127.0.0.1", "--port", str(self.port)), self.log,
                                  self.env)

    def wait(self) -> None:
        wait_ready(self.url + "/healthz", self.proc, self.log)

    def chat(self, session: str, message: str, user: str = "demo", timeout: float = 60.0) -> httpx.Response:
        return httpx.post(self.url + "/api/chat", json={"session": session, "user": user, "message": message},
                          timeout=timeout)

    def turn(self, session: str, message: str, user: str = "demo") -> dict[str, Any]:
        response = self.chat(session, message, user)
        assert response.status_code == 200, response.text
        return response.json()


@dataclass
class Cluster:
    postgres: ThrowawayPostgres
    database_url: str
    chroma_url: str
    shop_url: str
    proxy: FaultProxy
    shop: DemoShop
    cases: dict[str, str]
    nodes: dict[str, Node]
    root: Path
    procs: list[Any]

    def node_env(self, data_dir: Path, **extra: Any) -> dict[str, str]:
        return kefu_env(data_dir=data_dir, database_url=self.database_url, chroma_url=self.chroma_url,
                        shop_url=self.proxy.url, shop_timeout_s=3, **DEMO, **extra)


def _start_shop(root: Path, database_url: str) -> tuple[Any, str]:
    port, log = free_port(), root / "shop.log"
    proc = start_process(kefu_command("shop", "serve", "--port", str(port)), log,
                         kefu_env(data_dir=root / "shop", database_url=database_url, **DEMO))
    wait_ready(f"http://127.0.0.1:{port}/healthz", proc, log)
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def cluster(postgres: ThrowawayPostgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("cluster")
    database_url = postgres.database("cluster")
    store = ensure_demo_store(Settings(data_dir=root / "prep", database_url=database_url, **DEMO))
    procs: list[Any] = []
    try:
        chroma = ChromaServer(root / "chroma")
        procs.append(chroma.proc)
        chroma_url = chroma.url
        shop, shop_url = _start_shop(root, database_url)
        procs.append(shop)
        proxy = FaultProxy(shop_url, stall_s=4.0)
        found = Cluster(postgres, database_url, chroma_url, shop_url, proxy, DemoShop(store), store.demo_cases(), {},
                        root, procs)
        for name in ("a", "b"):
            found.nodes[name] = Node(name, found.node_env(root / f"node-{name}"), root / f"node-{name}.log")
        starters = [threading.Thread(target=n.start) for n in found.nodes.values()]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        procs.extend(n.proc for n in found.nodes.values())
        for node in found.nodes.values():
            node.wait()
        yield found
        proxy.close()
    finally:
        for proc in reversed(procs):
            stop(proc)
