"""Operational metrics: the policy answer cache (hit rate, bytes, evictions)."""

from typing import Any

from fastapi import APIRouter

from app.api.deps import ServiceDep

router = APIRouter(prefix="/api", tags=["metrics"])


@router.get("/metrics")
def metrics(service: ServiceDep) -> dict[str, Any]:
    """Counters of this process: the answer cache's hit rate, entries and bytes."""
    return {"answer_cache": service.services.answer_cache.stats()}
