"""Catalogue rows of the demo store: categories, products, variants with stock, price history."""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta
from typing import Any

from app.store.clock import fmt
from app.store.rules import PAYMENT_NAMES, RULES
from app.store.seed_data import catalog

# Price moves the demo cases rely on: sku -> [(days before now, price, kind)].
SCRIPTED_PRICES: dict[str, list[tuple[float, float, str]]] = {
    "EL-3001": [(2, 549.0, "regular")],
    "HM-4002": [(1, 79.0, "regular")],
    "SN-7001": [(1, 99.0, "flash_sale")],
}
HISTORY_DAYS = 200


class PriceBook:
    """Every product's price history, to price generated orders at their creation time."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.entries: dict[str, list[tuple[datetime, float, str]]] = {}
        start = now - timedelta(days=HISTORY_DAYS)
        movable = [p for p in catalog()["products"] if p["sku"] not in SCRIPTED_PRICES]
        moved = {p["sku"] for p in rng.sample(movable, 6)}
        for product in catalog()["products"]:
            sku, base = product["sku"], float(product["price"])
            history = [(start, base, "regular")]
            for days, price, kind in SCRIPTED_PRICES.get(sku, []):
                history.append((now - timedelta(days=days), price, kind))
            if sku in moved:
                cut = round(base * rng.uniform(0.85, 0.95))
                history.append((now - timedelta(days=rng.randint(25, 60)), float(cut), "regular"))
            self.entries[sku] = sorted(history)

    def price_at(self, sku: str, moment: datetime) -> float:
        """The price a customer paid for `sku` at `moment`."""
        history = self.entries[sku]
        index = bisect.bisect_right([entry[0] for entry in history], moment) - 1
        return history[max(index, 0)][1]

    def current(self, sku: str) -> float:
        """The latest price of `sku`."""
        return self.entries[sku][-1][1]

    def rows(self) -> list[tuple]:
        """price_history rows (sku, price, valid_from, kind)."""
        return [(sku, price, fmt(at), kind) for sku, hist in self.entries.items() for at, price, kind in hist]


def catalogue_rows(rng: random.Random, prices: PriceBook) -> dict[str, list[tuple]]:
    """Rows of categories, products, variants and payment_methods."""
    data = catalog()
    categories = [(code, c["zh"], c["en"], int(c["returnable"])) for code, c in data["categories"].items()]
    products, variants = [], []
    for product in data["products"]:
        returnable = int(data["categories"][product["category"]]["returnable"])
        products.append((product["sku"], product["name"], product["name_en"], product["category"],
                         prices.current(product["sku"]), returnable))
        empty = {str(value) for value in product.get("out_of_stock", [])}
        for attr, key in (("size", "sizes"), ("colour", "colours")):
            for value in product.get(key, []):
                stock = 0 if str(value) in empty else rng.randint(5, 200)
                variants.append((product["sku"], attr, str(value), stock))
    methods = [(m, zh, en, *RULES.refund_days[m]) for m, (zh, en) in PAYMENT_NAMES.items()]
    return {"categories": categories, "products": products, "variants": variants, "payment_methods": methods}


def default_attrs(rng: random.Random, product: dict[str, Any]) -> dict[str, str]:
    """A random size/colour choice for a product (only the attributes it has)."""
    attrs: dict[str, str] = {}
    for attr, key in (("size", "sizes"), ("colour", "colours")):
        values = [str(v) for v in product.get(key, []) if str(v) not in map(str, product.get("out_of_stock", []))]
        if values:
            attrs[attr] = rng.choice(values)
    return attrs
