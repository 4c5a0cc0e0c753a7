"""Loads the demo shop's catalogue and vocabulary (YAML data files beside this module)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    """Categories and products of the demo shop (catalog.yaml)."""
    return yaml.safe_load((_HERE / "catalog.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def world() -> dict[str, Any]:
    """Names, places, carriers and tracking texts the generator draws from (world.yaml)."""
    return yaml.safe_load((_HERE / "world.yaml").read_text(encoding="utf-8"))


def products_by_sku() -> dict[str, dict[str, Any]]:
    """The catalogue's products keyed by sku."""
    return {p["sku"]: p for p in catalog()["products"]}
