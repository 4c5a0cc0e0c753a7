"""A real `kefu shop serve` over a small demo store (one per module), and a fault proxy in front of it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from realservers import FaultProxy, free_port, kefu_command, kefu_env, start_process, stop, wait_ready

from app.settings import Settings
from app.shop.demo import DemoShop
from app.store import ensure_demo_store


@dataclass
class ShopServer:
    url: str
    settings: Settings
    """The settings of the store the server serves (read it directly with `demo`)."""
    demo: DemoShop
    cases: dict[str, str]


@pytest.fixture(scope="module")
def shop_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShopServer]:
    root = tmp_path_factory.mktemp("shop-server")
    settings = Settings(data_dir=root / "shop", demo_users=10, demo_orders=60)
    store = ensure_demo_store(settings)
    port, log = free_port(), root / "shop-serve.log"
    env = kefu_env(data_dir=settings.data_dir, demo_users=10, demo_orders=60)
    proc = start_process(kefu_command("shop", "serve", "--port", str(port)), log, env)
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", proc, log)
        yield ShopServer(f"http://127.0.0.1:{port}", settings, DemoShop(store), store.demo_cases())
    finally:
        stop(proc)


@pytest.fixture()
def proxy(shop_server: ShopServer) -> Iterator[FaultProxy]:
    relay = FaultProxy(shop_server.url, stall_s=2.5)
    yield relay
    relay.close()


