"""Operational metrics: the policy answer cache (hit rate, bytes, evictions)."""

from typing import Any

from fastapi import APIRouter

from app.api.deps import SettingsDep
from graph.nodes.respond import answer_cache

router = APIRouter(prefix="/api", tags=["metrics"])


@router.get("/metrics")
def metrics(settings: SettingsDep) -> dict[str, Any]:
    """Counters of this process: the answer cache's hit rate, entries and bytes."""
    return {"answer_cache": answer_cache(settings).stats()}
