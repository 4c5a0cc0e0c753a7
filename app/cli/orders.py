"""`kefu orders --user UID [--json] [--cases]`: a user's orders in the demo store (created on first use).

An unknown user has no orders: the command prints an empty list and exits 0.
"""

from __future__ import annotations

import argparse

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
    from app.store import ensure_demo_store

    user_id = (args.user or "").strip()
    if not user_id or len(user_id) > MAX_USER_ID or not user_id.isprintable():
        raise CliError("--user needs a user id (1-64 printable characters)")
    store = ensure_demo_store(get_settings())
    if args.cases:
        cases = store.demo_case_details()
        emit(cases if args.json else "\n".join(f"{c['case']:<26} {c['order_id']}  {c['description']}" for c in cases),
             as_json=args.json)
        return 0
    orders = [
        {
            "order_id": o["order_id"], "status": o["status"],
            "items": [{"sku": i["sku"], "name": i["name"], "qty": i["qty"], "unit_price": i["unit_price"],
                       "attrs": i["attrs"]} for i in o["items"]],
            "total": o["total"], "payment_method": o["payment_method"], "created_at": o["created_at"],
        }
        for o in store.list_orders(user_id)
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
