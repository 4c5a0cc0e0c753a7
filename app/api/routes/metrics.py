"""Operational metrics: the policy answer cache (hit rate, bytes, evictions). Behind a login in production."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from app.api.deps import ServiceDep
from app.api.security import login_in_production
from app.auth import Account

router = APIRouter(prefix="/api", tags=["metrics"])


@router.get("/metrics")
def metrics(service: ServiceDep, _: Annotated[Account | None, Depends(login_in_production)]) -> dict[str, Any]:
    """Counters of this process: the answer cache's hit rate, entries and bytes."""
    return {"answer_cache": service.services.answer_cache.stats()}
