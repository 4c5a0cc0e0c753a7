"""Who is calling: bearer-token / cookie authentication and role checks for the API.

Pages and JSON endpoints for editors and agents depend on `require_role(...)`; the customer chat
needs no login. Tokens come from `Authorization: Bearer ...` or the httponly `kefu_token` cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request, status

from app.auth import Account, AuthStore, ensure_default_accounts

COOKIE_NAME = "kefu_token"


def get_auth_store(request: Request) -> AuthStore:
    """The app's AuthStore (built once per app, with the default accounts in place)."""
    store = getattr(request.app.state, "auth_store", None)
    if store is None:
        store = ensure_default_accounts(request.app.state.settings)
        request.app.state.auth_store = store
    return store


def token_from(request: Request) -> str | None:
    """The session token of a request: bearer header first, then the cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE_NAME) or None


def require_role(*roles: str) -> Callable[[Request], Account]:
    """A FastAPI dependency that answers 401 without a valid login and 403 without one of `roles`."""

    def dependency(request: Request) -> Account:
        token = token_from(request)
        if not token:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, "login required", headers={"WWW-Authenticate": "Bearer"}
            )
        account = get_auth_store(request).account_for_token(token)
        if account is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "session expired or invalid: log in again",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if roles and not any(account.has_role(role) for role in roles):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"needs role: {' or '.join(roles)}")
        return account

    return dependency
