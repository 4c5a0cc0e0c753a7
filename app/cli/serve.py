"""`kefu serve`: the web app (chat page, editor, console, JSON API)."""

from __future__ import annotations

import argparse

from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the chat page, editor, console and API")
    p.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8000)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    import uvicorn

    from app.api.main import create_app

    settings = get_settings()
    app = create_app(settings)
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port, log_level="info")
    return 0
