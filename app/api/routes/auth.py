"""Login and logout for editors and agents (token in the JSON answer and an httponly cookie),
and account management for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from app.api.deps import AddressDep, LimitsDep
from app.api.security import COOKIE_NAME, get_auth_store, require_role, token_from
from app.auth import MAX_LOGIN_CHARS, MAX_PASSWORD_CHARS, Account, AuthError

router = APIRouter(tags=["auth"])
AdminDep = Annotated[Account, Depends(require_role("admin"))]


class LoginIn(BaseModel):
    login: str = Field(min_length=1, max_length=MAX_LOGIN_CHARS)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)


def _throttled(wait: float) -> HTTPException:
    seconds = int(wait) + 1
    return HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, f"too many wrong passwords: try again in {seconds} s",
                         headers={"Retry-After": str(seconds)})


@router.post("/api/auth/login")
def login(body: LoginIn, request: Request, response: Response, limits: LimitsDep, address: AddressDep) -> dict:
    """Check a login and password; answer a session token and set it as a cookie (`Secure` over HTTPS).
    429 while the login (however spelled) or the caller's address has too many recent wrong passwords."""
    store = get_auth_store(request)
    wait = max(float(limits.login_allowed(address)), store.locked_for(body.login))
    if wait > 0:
        raise _throttled(wait)
    account = store.verify(body.login, body.password)
    if account is None:
        limits.login_failed(address)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong login or password")
    token = store.issue_token(account.login)
    response.set_cookie(COOKIE_NAME, token, max_age=int(store.token_ttl_s), httponly=True, samesite="strict",
                        path="/", secure=request.url.scheme == "https")
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
            {"login": a.login, "roles": list(a.roles), "disabled": a.disabled}
            for a in get_auth_store(request).list_accounts()
        ]
    }


@router.post("/api/auth/accounts")
def create_account(body: AccountIn, request: Request, admin: AdminDep) -> dict:
    """Create an account, or set a new password and roles for an existing one (admins only; the account's
    sessions end; passwords need 12+ characters)."""
    try:
        account = get_auth_store(request).create_account(body.login, body.password, body.roles)
    except AuthError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc
    return {"login": account.login, "roles": list(account.roles)}


@router.post("/api/auth/accounts/{login}/disable")
def disable_account(login: str, request: Request, admin: AdminDep) -> dict:
    """Disable an account: it can no longer log in and its sessions end (admins only)."""
    return _set_disabled(request, login, True)


@router.post("/api/auth/accounts/{login}/enable")
def enable_account(login: str, request: Request, admin: AdminDep) -> dict:
    """Enable a disabled account again (admins only)."""
    return _set_disabled(request, login, False)


def _set_disabled(request: Request, login: str, disabled: bool) -> dict:
    try:
        account = get_auth_store(request).set_disabled(login, disabled)
    except AuthError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    return {"login": account.login, "roles": list(account.roles), "disabled": account.disabled}
