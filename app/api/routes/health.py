"""Liveness/readiness."""

from fastapi import APIRouter

from app.api.deps import ServiceDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(service: ServiceDep) -> dict[str, str]:
    """Answers once the conversation service (graph + checkpointer) is up."""
    return {"status": "ok"}
