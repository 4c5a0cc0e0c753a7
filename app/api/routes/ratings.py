"""Customer ratings of a conversation (0-10) and the low-rated list for the feedback loop."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field, StrictInt

from app import service
from app.api.deps import check_shopper
from app.api.security import require_role
from app.auth import Account
from app.ratings import MAX_COMMENT_CHARS, MAX_RATING, MIN_RATING, RatingError, RatingStore

router = APIRouter(tags=["ratings"])


class RatingIn(BaseModel):
    rating: StrictInt = Field(ge=MIN_RATING, le=MAX_RATING, description="0 (worst) to 10 (best).")
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS)
    user: str = Field(description="The shopper's user id; only the conversation's own shopper may rate it.")
    token: str | None = Field(None, max_length=200, description="The shopper token (with KEFU_SHOPPER_SECRET); "
                              "or the X-Shopper-Token header.")


@router.post("/api/chat/{session}/rating")
def rate(session: str, body: RatingIn, request: Request) -> dict[str, Any]:
    """Rate a conversation; a second rating of the same conversation replaces the first (`replaced`).
    Only the conversation's own shopper may rate it (404 for anyone else, in every mode)."""
    settings = request.app.state.settings
    check_shopper(request, body.user, body.token)
    try:
        state = service.read_state(settings, session)
        if state is None or state.get("user_id") != body.user:
            raise HTTPException(404, "unknown session")
        return RatingStore(settings).rate(session, body.rating, body.comment)
    except (RatingError, service.ChatError) as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get("/api/ratings")
def list_ratings(
    request: Request,
    account: Annotated[Account, Depends(require_role("agent", "admin"))],
    below: Annotated[int | None, Query(ge=0, le=11)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> dict[str, Any]:
    """Stored ratings, newest first; `below=8` lists the conversations rated 0-7."""
    return {"ratings": RatingStore(request.app.state.settings).list(below=below, limit=limit)}
