"""The HTML pages: the shopper's chat page at `/`."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
WEB = Path(__file__).resolve().parents[2] / "web"


@router.get("/", response_class=HTMLResponse)
def chat_page() -> str:
    return (WEB / "chat.html").read_text(encoding="utf-8")
