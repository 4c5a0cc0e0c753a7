"""Live KPIs for agents and editors (`GET /api/kpis`) and the `/dashboard` page that draws them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from app.api.security import require_role
from app.auth import Account
from app.kpis import live_kpis

router = APIRouter(tags=["kpis"])
PAGE = Path(__file__).resolve().parents[2] / "web" / "dashboard.html"
StaffDep = Annotated[Account, Depends(require_role("agent", "editor"))]


@router.get("/api/kpis")
def kpis(request: Request, staff: StaffDep,
         since: Annotated[str | None, Query(description="YYYY-MM-DD: conversations from this shop-local day")] = None,
         ) -> dict[str, Any]:
    """The KPIs overall, by category, by pilot arm and by day (the JSON of `kefu kpis --json`)."""
    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        raise HTTPException(422, f"since must be a day as YYYY-MM-DD, got {since!r}") from None
    return live_kpis(request.app.state.settings, day)


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page() -> str:
    """The KPI dashboard (it logs in through /api/auth/login; the data comes from /api/kpis)."""
    return PAGE.read_text(encoding="utf-8")


@router.get("/static/vendor/plotly.min.js", include_in_schema=False)
def plotly_js() -> FileResponse:
    """plotly.js as the `plotly` Python package ships it: served by kefu, no CDN at run time."""
    import plotly

    bundle = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    return FileResponse(bundle, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})
