"""Who is calling: bearer-token / cookie authentication and role checks for the API.

Pages and JSON endpoints for editors and agents depend on `require_role(...)`; the customer chat
needs no login (shopper tokens: app/shopper.py). Tokens come from `Authorization: Bearer ...` or the
httponly `kefu_token` cookie; cookie-authenticated writes must come from this site (`token_from`).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status

from app.accounts import reconcile_accounts
from app.auth import Account, AuthStore

COOKIE_NAME = "kefu_token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def get_auth_store(request: Request) -> AuthStore:
    """The app's AuthStore (built once per app, its configured accounts reconciled with the settings)."""
    store = getattr(request.app.state, "auth_store", None)
    if store is None:
        store = reconcile_accounts(request.app.state.settings)
        request.app.state.auth_store = store
    return store


def client_address(request: Request) -> str:
    """The caller's address (uvicorn puts the proxy's X-Forwarded-For here for trusted proxies)."""
    return request.client.host if request.client else "unknown"


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def token_from(request: Request) -> str | None:
    """The session token of a request: bearer header first, then the cookie.

    A state-changing request authenticated by the cookie must come from this site (CSRF protection beyond
    SameSite, also for body-less POSTs): 403 otherwise."""
    token = _bearer(request)
    if token:
        return token
    cookie = request.cookies.get(COOKIE_NAME) or None
    if cookie and request.method in UNSAFE_METHODS and not from_this_site(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "cross-site request refused: send it from this site's pages")
    return cookie


def from_this_site(request: Request) -> bool:
    """Whether the request's Origin (or Referer) is this server's own origin or one of KEFU_ALLOWED_ORIGINS."""
    origin = request.headers.get("origin") or ""
    if not origin:
        referer = urlsplit(request.headers.get("referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.scheme and referer.netloc else ""
    if not origin or origin == "null":
        return False
    allowed = {o.rstrip("/") for o in request.app.state.settings.allowed_origins.split()}
    host = request.headers.get("host", "")
    return origin.rstrip("/") in allowed or (bool(host) and urlsplit(origin).netloc.lower() == host.lower())


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


def login_in_production(request: Request) -> Account | None:
    """A dependency for operational pages (/docs, /openapi.json, metrics): any login in production, none in demo."""
    if not request.app.state.settings.production:
        return None
    return require_role()(request)
