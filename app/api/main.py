"""The FastAPI application: wiring only. Routes live in app/api/routes/<resource>.py."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from app.accounts import reconcile_accounts
from app.api.middleware import BodyLimit, SecurityHeaders
from app.api.security import login_in_production
from app.auth import Account
from app.production import production_problems
from app.service import warm_up
from app.settings import Settings, get_settings
from storage import DatabaseUnavailable

# Route modules under app.api.routes; each defines `router = APIRouter()`.
ROUTE_MODULES = ["health", "chat", "voice", "pages", "auth", "console", "ratings", "metrics", "policies", "kpis",
                 "pilot"]

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
LARGE_BODIES = {"/api/policies": 1024 * 1024, "/api/chat/voice": 4 * 1024 * 1024}
"""Body limits above KEFU_MAX_BODY_BYTES: the editor's documents (256 Ki characters) and voice messages."""


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    """422 naming where and what is wrong, without echoing the input back (it may be huge or private)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{"loc": [part if isinstance(part, int) else str(part)[:64] for part in e.get("loc", ())],
               "msg": str(e.get("msg", ""))[:200], "type": str(e.get("type", ""))} for e in errors[:20]]
    return JSONResponse(status_code=422, content={"detail": detail})


LoggedIn = Annotated[Account | None, Depends(login_in_production)]


def _docs_behind_login(app: FastAPI) -> None:
    """Production: the schema and its page need a login (any role)."""

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_: LoggedIn) -> dict[str, Any]:
        return app.openapi()

    @app.get("/docs", include_in_schema=False)
    def docs(_: LoggedIn) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="kefu API")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for one shop (one data dir). Production settings that `kefu serve` would refuse raise."""
    settings = settings or get_settings()
    if settings.production and (problems := production_problems(settings)):
        raise ValueError(problems[0])

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.auth_store = reconcile_accounts(settings)
        warm_up(settings)  # /healthz answers only once the shop, policies and models are ready
        yield

    public_docs = not settings.production
    app = FastAPI(title="kefu", version="0.1.0", description="kefu customer-service agent API", lifespan=lifespan,
                  docs_url="/docs" if public_docs else None, redoc_url="/redoc" if public_docs else None,
                  openapi_url="/openapi.json" if public_docs else None)
    app.state.settings = settings
    if not public_docs:
        _docs_behind_login(app)
    for name in ROUTE_MODULES:
        app.include_router(importlib.import_module(f"app.api.routes.{name}").router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_exception_handler(RequestValidationError, _validation_error)
    # the last added runs first: the body limit before anything reads the body, the headers on its 413 too
    app.add_middleware(BodyLimit, default=settings.max_body_bytes, prefixes=LARGE_BODIES)
    app.add_middleware(SecurityHeaders, web_dir=WEB_DIR, chat_frame_ancestors=settings.frame_ancestors)

    @app.exception_handler(DatabaseUnavailable)
    def database_unavailable(_: Request, exc: DatabaseUnavailable) -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": "the database is unavailable; try again shortly"})

    return app
