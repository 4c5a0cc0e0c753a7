"""Customer ratings of a conversation (0-10) and the low-rated list for the feedback loop."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field, StrictInt

from app import service
from app.api.security import require_role
from app.auth import Account, shopper_allowed
from app.ratings import MAX_COMMENT_CHARS, MAX_RATING, MIN_RATING, RatingError, RatingStore

router = APIRouter(tags=["ratings"])


class RatingIn(BaseModel):
    rating: StrictInt = Field(ge=MIN_RATING, le=MAX_RATING, description="0 (worst) to 10 (best).")
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS)
    user: str | None = Field(None, description="The shopper's user id; checked against the conversation.")
    token: str | None = Field(None, description="The shop login's signature of `user` (with KEFU_SHOPPER_SECRET).")


@router.post("/api/chat/{session}/rating")
def rate(session: str, body: RatingIn, request: Request) -> dict[str, Any]:
    """Rate a conversation; a second rating of the same conversation replaces the first (`replaced`)."""
    settings = request.app.state.settings
    if settings.shopper_secret and not (body.user and shopper_allowed(settings, body.user, body.token)):
        raise HTTPException(401, "this page is not signed in as that shopper")
    try:
        state = service.read_state(settings, session)
        if state is None or (body.user is not None and state.get("user_id") != body.user):
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
