"""The HTML pages: the shopper's chat page at `/` (with the demo banner unless KEFU_ENV=production)."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.api.deps import SettingsDep

router = APIRouter(include_in_schema=False)
WEB = Path(__file__).resolve().parents[2] / "web"
BANNER_HIDDEN = '<div id="demo-banner" class="demo-banner" role="alert" hidden>'


@router.get("/", response_class=HTMLResponse)
def chat_page(settings: SettingsDep) -> str:
    page = (WEB / "chat.html").read_text(encoding="utf-8")
    return page if settings.production else page.replace(BANNER_HIDDEN, BANNER_HIDDEN.replace(" hidden>", ">"))
