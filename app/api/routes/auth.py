"""Login and logout for editors and agents (token in the JSON answer and an httponly cookie),
and account management for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from app.api.security import COOKIE_NAME, get_auth_store, require_role, token_from
from app.auth import MAX_LOGIN_CHARS, MAX_PASSWORD_CHARS, Account, AuthError

router = APIRouter(tags=["auth"])
AdminDep = Annotated[Account, Depends(require_role("admin"))]


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


class AccountIn(LoginIn):
    roles: list[str] = Field(min_length=1, max_length=3, description="editor, agent and/or admin")


@router.get("/api/auth/accounts")
def accounts(request: Request, admin: AdminDep) -> dict:
    """All accounts and their roles (admins only)."""
    return {
        "accounts": [
            {"login": a.login, "roles": list(a.roles)} for a in get_auth_store(request).list_accounts()
        ]
    }


@router.post("/api/auth/accounts")
def create_account(body: AccountIn, request: Request, admin: AdminDep) -> dict:
    """Create an account, or set a new password and roles for an existing one (admins only)."""
    try:
        account = get_auth_store(request).create_account(body.login, body.password, body.roles)
    except AuthError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc
    return {"login": account.login, "roles": list(account.roles)}
