"""FastAPI dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from app.api.security import client_address
from app.limits import RateLimited, RateLimits
from app.service import ChatService, get_service
from app.settings import Settings
from app.shopper import TOKEN_HEADER, shopper_allowed


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_chat_service(settings: SettingsDep) -> ChatService:
    return get_service(settings)


ServiceDep = Annotated[ChatService, Depends(get_chat_service)]


def get_limits(request: Request) -> RateLimits:
    """The app's rate limits (one per app; the counters live in the shop's service database)."""
    limits = getattr(request.app.state, "rate_limits", None)
    if limits is None:
        limits = request.app.state.rate_limits = RateLimits(request.app.state.settings)
    return limits


LimitsDep = Annotated[RateLimits, Depends(get_limits)]
AddressDep = Annotated[str, Depends(client_address)]


def check_shopper(request: Request, user: str, body_token: str | None) -> None:
    """401 unless the request may speak for `user`: the token from the JSON body or the X-Shopper-Token header."""
    token = body_token or request.headers.get(TOKEN_HEADER)
    if not shopper_allowed(request.app.state.settings, user, token):
        raise HTTPException(status_code=401, detail="this page is not signed in as that shopper")


def too_many(exc: RateLimited) -> HTTPException:
    """The 429 answer of a request over a rate limit."""
    return HTTPException(status_code=429, detail=str(exc), headers={"Retry-After": str(exc.retry_after)})
