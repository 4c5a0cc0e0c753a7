"""Login and logout for editors and agents (token in the JSON answer and an httponly cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from app.api.security import COOKIE_NAME, get_auth_store, require_role, token_from
from app.auth import MAX_LOGIN_CHARS, MAX_PASSWORD_CHARS, Account

router = APIRouter(tags=["auth"])


class LoginIn(BaseModel):
    login: str = Field(min_length=1, max_length=MAX_LOGIN_CHARS)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)


@router.post("/api/auth/login")
def login(body: LoginIn, request: Request, response: Response) -> dict:
    """Check a login and password; answer a session token and set it as a cookie."""
    store = get_auth_store(request)
    wait = store.locked_for(body.login)
    if wait > 0:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"too many wrong passwords: try again in {int(wait) + 1} s",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    account = store.verify(body.login, body.password)
    if account is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong login or password")
    token = store.issue_token(account.login)
    response.set_cookie(
        COOKIE_NAME, token, max_age=int(store.token_ttl_s), httponly=True, samesite="strict", path="/"
    )
    return {"token": token, "login": account.login, "roles": list(account.roles)}


@router.post("/api/auth/logout")
def logout(request: Request, response: Response) -> dict:
    """Revoke the caller's token and clear the cookie (a no-op without a login)."""
    revoked = get_auth_store(request).revoke(token_from(request))
    response.delete_cookie(COOKIE_NAME, path="/")
    return {"ok": True, "revoked": revoked}


@router.get("/api/auth/me")
def me(account: Annotated[Account, Depends(require_role())]) -> dict:
    """Who the token belongs to (pages use it to decide whether to show the login form)."""
    return {"login": account.login, "roles": list(account.roles)}
