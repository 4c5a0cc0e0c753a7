"""`kefu shop serve [--host H] [--port P]`: the demo store behind the shop order API;
`kefu shop openapi`: that API's contract (the source of app/shop/openapi.yaml)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError, emit
from app.settings import get_settings

OPENAPI_PATH = Path(__file__).resolve().parents[1] / "shop" / "openapi.yaml"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("shop", help="the shop order API (serve the demo store through it, print its contract)")
    commands = parser.add_subparsers(dest="shop_command", required=True)
    serve = commands.add_parser("serve", help="serve the demo store through the shop order API")
    serve.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8100, help="port (default 8100)")
    serve.set_defaults(func=handle_serve)
    spec = commands.add_parser("openapi", help="print the order API's OpenAPI document (YAML)")
    spec.add_argument("--out", default=None, help="write it to this file instead")
    spec.set_defaults(func=handle_openapi)


def handle_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.shop.server import create_shop_app
    from app.store import ensure_demo_store

    if not 0 < args.port < 65536:
        raise CliError("--port must be between 1 and 65535")
    settings = get_settings()
    ensure_demo_store(settings)  # fail here, with one line, when the store's database is unreachable
    uvicorn.run(create_shop_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0


def openapi_yaml() -> str:
    """The order API's OpenAPI document as YAML (what app/shop/openapi.yaml holds)."""
    import yaml

    from app.settings import Settings
    from app.shop.server import create_shop_app

    document = create_shop_app(Settings()).openapi()
    header = ("# The shop order API kefu uses (KEFU_SHOP_URL).\n"
              "# Generated from app/shop/contract.py: kefu shop openapi --out app/shop/openapi.yaml\n")
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)


def handle_openapi(args: argparse.Namespace) -> int:
    text = openapi_yaml()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        emit(text, as_json=False)
    return 0
