"""The shop's order system as kefu's actions see it: the `Shop` protocol (protocol.py) and its two
implementations, kefu's demo store (demo.py) and the shop's own order API over HTTP (client.py; contract
in contract.py and openapi.yaml; `kefu shop serve` serves the demo store through it, server.py).

`open_shop(settings)`: `HttpShop` when KEFU_SHOP_URL is set, else the demo store (created on first use).
"""

from __future__ import annotations

import threading

from app.settings import Settings
from app.shop.protocol import Shop, ShopError, ShopNotFound, ShopRefused, ShopUnavailable

_OPEN: dict[tuple[str, str | None], Shop] = {}
_OPEN_LOCK = threading.Lock()


def open_shop(settings: Settings) -> Shop:
    """The process's Shop for these settings."""
    if settings.shop_url:
        key = (settings.shop_url, settings.shop_api_key)
        with _OPEN_LOCK:
            shop = _OPEN.get(key)
            if shop is None:
                from app.shop.client import HttpShop

                shop = _OPEN[key] = HttpShop(settings.shop_url, api_key=settings.shop_api_key,
                                             timeout_s=settings.shop_timeout_s,
                                             read_retries=settings.shop_read_retries)
            return shop
    from app.shop.demo import DemoShop
    from app.store import ensure_demo_store

    return DemoShop(ensure_demo_store(settings))


__all__ = ["Shop", "ShopError", "ShopNotFound", "ShopRefused", "ShopUnavailable", "open_shop"]
