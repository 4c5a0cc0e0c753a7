"""`kefu orders --user UID [--json] [--cases]`: a user's orders in the shop (the demo store, created on first
use, or the shop's order API at KEFU_SHOP_URL).

An unknown user has no orders: the command prints an empty list and exits 0.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import CliError, emit
from app.settings import get_settings

MAX_USER_ID = 64


def register(sub: argparse._SubParsersAction) -> None:
    """Adds the `orders` subcommand."""
    parser = sub.add_parser("orders", help="list a user's orders in the shop store")
    parser.add_argument("--user", required=True, help="user id, e.g. demo")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--cases", action="store_true",
                        help="print the demo store's named cases (case -> order id, description) instead")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Prints the orders of `--user`, newest first."""
    from app.shop import ShopError, open_shop

    user_id = (args.user or "").strip()
    if not user_id or len(user_id) > MAX_USER_ID or not user_id.isprintable():
        raise CliError("--user needs a user id (1-64 printable characters)")
    settings = get_settings()
    if args.cases:
        if settings.shop_url:
            raise CliError("--cases lists the demo store's cases; unset KEFU_SHOP_URL to read them")
        from app.store import ensure_demo_store

        cases = ensure_demo_store(settings).demo_case_details()
        emit(cases if args.json else "\n".join(f"{c['case']:<26} {c['order_id']}  {c['description']}" for c in cases),
             as_json=args.json)
        return 0
    orders = [
        {
            "order_id": o["order_id"], "status": o["status"],
            "items": [{"sku": i["sku"], "name": i["name"], "qty": i["qty"], "unit_price": i["unit_price"],
                       "category": i.get("category"), "attrs": i["attrs"]} for i in o["items"]],
            "total": o["total"], "payment_method": o["payment_method"], "created_at": o["created_at"],
        }
        for o in _orders(open_shop(settings), user_id, ShopError)
    ]
    if args.json:
        emit(orders)
        return 0
    for o in orders:
        names = "、".join(f"{i['name']}×{i['qty']}" for i in o["items"])
        emit(f"{o['order_id']}  {o['status']:<18} {o['total']:>9.2f}  {o['created_at']}  {names}", as_json=False)
    if not orders:
        emit(f"no orders for user {user_id}", as_json=False)
    return 0


def _orders(shop: Any, user_id: str, failure: type[Exception]) -> list[dict[str, Any]]:
    try:
        return list(shop.orders(user_id))
    except failure as exc:
        raise CliError(f"the shop's orders could not be read: {exc}") from exc
