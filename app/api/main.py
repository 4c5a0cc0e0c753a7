"""The FastAPI application: wiring only. Routes live in app/api/routes/<resource>.py."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.service import warm_up
from app.settings import Settings, get_settings

# Route modules under app.api.routes; each defines `router = APIRouter()`.
ROUTE_MODULES = ["health", "chat", "pages", "auth", "console", "ratings", "metrics", "policies"]

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for one shop (one data dir)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warm_up(settings)  # /healthz answers only once the shop, policies and models are ready
        yield

    app = FastAPI(title="kefu", version="0.1.0", description="kefu customer-service agent API", lifespan=lifespan)
    app.state.settings = settings
    for name in ROUTE_MODULES:
        app.include_router(importlib.import_module(f"app.api.routes.{name}").router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    return app
