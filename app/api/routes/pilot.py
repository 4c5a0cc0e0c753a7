"""The category pilot over HTTP: staff read it, an admin changes it (audited, under the admin's login)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from app.api.security import require_role
from app.auth import Account
from app.pilot import PilotError, PilotStore

router = APIRouter(prefix="/api/pilot", tags=["pilot"])
StaffDep = Annotated[Account, Depends(require_role("agent", "editor"))]
AdminDep = Annotated[Account, Depends(require_role("admin"))]


class PilotIn(BaseModel):
    category: str | None = Field(None, description="Catalogue category such as fresh; omit with default=true.")
    default: bool = Field(False, description="Set the mode of every category not set itself.")
    mode: str = Field(..., description="bot, human or split.")
    share: float | None = Field(None, description="split only: share of shoppers the bot serves (0-1).")


def _store(request: Request) -> PilotStore:
    return PilotStore(request.app.state.settings)


@router.get("")
def show(request: Request, staff: StaffDep) -> dict[str, Any]:
    """The settings in force and the shop's categories."""
    store = _store(request)
    return {**store.show(), "known_categories": store.known_categories()}


@router.post("")
def change(body: PilotIn, request: Request, admin: AdminDep) -> dict[str, Any]:
    """Set a category's mode (or the default); applies to the next turn of every process."""
    if body.default == bool(body.category):
        raise HTTPException(422, "name one category or set default")
    try:
        return _store(request).set(None if body.default else body.category, body.mode, body.share, actor=admin.login)
    except PilotError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/history")
def history(request: Request, staff: StaffDep) -> list[dict[str, Any]]:
    """Every change, newest first, with who made it."""
    return _store(request).history()
