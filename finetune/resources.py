"""Data files of the finetune package: labels, shop facts, word tables, and the demo catalogue."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from graph.nlu.labels import EMOTIONS, INTENTS

DATA_DIR = Path(__file__).parent / "data"
REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOG_PATH = REPO_ROOT / "app" / "store" / "catalog.yaml"
POLICIES_DIR = REPO_ROOT / "knowledge" / "demo_policies"

# Used only when the store's catalogue file is absent (keys match the catalogue's category keys).
_FALLBACK_CATEGORIES: dict[str, dict[str, Any]] = {
    "apparel": {"zh": "服装", "en": "apparel", "returnable": True},
    "electronics": {"zh": "数码", "en": "electronics", "returnable": True},
    "home": {"zh": "家居", "en": "home", "returnable": True},
    "fresh": {"zh": "生鲜", "en": "fresh food", "returnable": False},
    "custom": {"zh": "定制", "en": "customised goods", "returnable": False},
    "digital": {"zh": "数字商品", "en": "digital goods", "returnable": False},
}


@cache
def load_yaml(name: str) -> Any:
    """A YAML file of finetune/data by file name."""
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def intents() -> list[str]:
    """The intent labels of the taxonomy (graph/intents.yaml)."""
    return list(INTENTS)


def emotions() -> list[str]:
    """The emotion labels of the taxonomy."""
    return list(EMOTIONS)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    """The demo store's catalogue (categories and products); a small fallback when it is absent."""
    if CATALOG_PATH.is_file():
        data = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8")) or {}
        if data.get("categories"):
            return {"categories": data["categories"], "products": data.get("products", [])}
    products = [
        {
            "sku": f"X-{i}",
            "name": f"{c['zh']}商品",
            "name_en": f"{c['en']} item",
            "category": k,
            "price": 59 + 40 * i,
        }
        for i, (k, c) in enumerate(_FALLBACK_CATEGORIES.items())
    ]
    return {"categories": dict(_FALLBACK_CATEGORIES), "products": products}
