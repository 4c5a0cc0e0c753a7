"""Deterministic demo store generator: the same seed, sizes and `now` give the same shop.

User `demo` gets the scripted cases (demo_cases.py); other users get random but consistent
orders (timelines match statuses, shipped orders have tracking, refunds follow returns).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from app.store.catalogue_rows import PriceBook, catalogue_rows, default_attrs
from app.store.clock import fmt
from app.store.demo_cases import add_demo_user
from app.store.factory import Customer, Line, OrderFactory, Rows, Timeline
from app.store.rules import ORDER_STATUSES, PAYMENT_METHODS
from app.store.seed_data import catalog, world
from storage.database import Conn

SCHEMA_VERSION = 1

STATUS_WEIGHTS = [4, 3, 5, 8, 8, 50, 10, 3, 6]  # aligned with ORDER_STATUSES
METHOD_WEIGHTS = [40, 35, 12, 8, 5]  # aligned with PAYMENT_METHODS

INSERTS = {
    "categories": "INSERT INTO categories VALUES (?,?,?,?)",
    "products": "INSERT INTO products VALUES (?,?,?,?,?,?)",
    "variants": "INSERT INTO variants (sku, attr, value, stock, pos) VALUES (?,?,?,?,?)",
    "price_history": "INSERT INTO price_history VALUES (?,?,?,?)",
    "payment_methods": "INSERT INTO payment_methods VALUES (?,?,?,?,?)",
    "users": "INSERT INTO users VALUES (?,?,?,?,?,?)",
    "addresses": "INSERT INTO addresses (user_id, receiver, phone, address, is_default) VALUES (?,?,?,?,?)",
    "orders": "INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "items": "INSERT INTO order_items VALUES (?,?,?,?,?,?,?)",
    "shipments": "INSERT INTO shipments VALUES (?,?,?,?,?)",
    "events": "INSERT INTO shipment_events (order_id, time, location, description, pos) VALUES (?,?,?,?,?)",
    "refunds": "INSERT INTO refunds (order_id, source, amount, method, status, created_at, expected_by,"
    " arrived_at) VALUES (?,?,?,?,?,?,?,?)",
    "after_sales": "INSERT INTO after_sales (order_id, kind, line, sku, qty, reason, quality_issue,"
    " target_attr, status, return_shipping_paid_by, refund_amount, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "invoices": "INSERT INTO invoices (order_id, title_type, title, tax_id, amount, status, revision,"
    " created_at) VALUES (?,?,?,?,?,?,?,?)",
    "cases": "INSERT INTO demo_cases (case_name, order_id, description, pos) VALUES (?,?,?,?)",
}
POSITIONED = ("variants", "events", "cases")
"""Tables whose rows keep the order they were generated in (a `pos` column)."""


def generate(conn: Conn, *, seed: int, n_users: int, n_orders: int, now: datetime) -> dict[str, int]:
    """Fills the (migrated, empty) shop in the caller's transaction; returns row counts per table."""
    rng = random.Random(seed)
    prices = PriceBook(rng, now)
    rows = Rows()
    factory = OrderFactory(rng, now, rows)
    add_demo_user(factory, prices)
    customers = _random_users(rng, rows, n_users)
    for _ in range(n_orders if customers else 0):
        _random_order(factory, prices, rng.choice(customers))
    tables = catalogue_rows(rng, prices)
    tables["price_history"] = prices.rows()
    tables.update({name: getattr(rows, name) for name in
                   ("users", "addresses", "orders", "items", "shipments", "events", "refunds",
                    "after_sales", "invoices", "cases")})
    for name in POSITIONED:
        tables[name] = [(*row, pos) for pos, row in enumerate(tables[name])]
    for name, sql in INSERTS.items():
        if tables[name]:
            conn.executemany(sql, tables[name])
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [
        ("schema_version", str(SCHEMA_VERSION)), ("seed", str(seed)), ("generated_now", fmt(now) or ""),
    ])
    return {name: len(rows_) for name, rows_ in tables.items()}


def _random_users(rng: random.Random, rows: Rows, count: int) -> list[Customer]:
    names = world()
    customers = []
    for number in range(1, count + 1):
        user_id = f"u{number:05d}"
        name = rng.choice(names["surnames"]) + rng.choice(names["given_names"])
        phone = "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))
        place = rng.choice(names["cities"])
        district = rng.choice(place["districts"])
        address = f"{place['city']}{district}{rng.choice(names['streets'])}{rng.randint(1, 300)}号"
        rows.users.append((user_id, name, phone, rng.choice(names["levels"]), 0.0, 0.0))
        rows.addresses.append((user_id, name, phone, address, 1))
        customers.append(Customer(user_id, name, phone, address, place["city"], district))
    return customers


def _random_timeline(rng: random.Random, status: str, now: datetime) -> Timeline:
    hours = timedelta(hours=1)
    if status in ("pending_payment", "paid", "processing"):
        created = now - rng.uniform(0.2, {"pending_payment": 24, "paid": 20, "processing": 47}[status]) * hours
        paid = None if status == "pending_payment" else created + timedelta(minutes=rng.randint(1, 20))
        return Timeline(created, paid)
    if status == "cancelled":
        created = now - rng.uniform(24, 90 * 24) * hours
        paid = created + timedelta(minutes=5) if rng.random() < 0.5 else None
        return Timeline(created, paid, cancelled=created + rng.uniform(0.2, 20) * hours)
    age_days = {"shipped": (2, 5), "delivered": (3, 9), "completed": (16, 90),
                "return_in_progress": (6, 14), "refunded": (12, 90)}[status]
    created = now - rng.uniform(*age_days) * 24 * hours
    paid = created + timedelta(minutes=rng.randint(1, 30))
    shipped = paid + rng.uniform(4, 40) * hours
    delivered = None if status == "shipped" else shipped + rng.uniform(24, 70) * hours
    return Timeline(created, paid, shipped, delivered)


def _random_order(factory: OrderFactory, prices: PriceBook, who: Customer) -> None:
    rng, now = factory.rng, factory.now
    status = rng.choices(ORDER_STATUSES, STATUS_WEIGHTS)[0]
    when = _random_timeline(rng, status, now)
    products = rng.sample(catalog()["products"], rng.choice([1, 1, 1, 2, 2, 3]))
    lines = [Line(p, rng.choice([1, 1, 1, 2]), default_attrs(rng, p), prices.price_at(p["sku"], when.created))
             for p in products]
    method = rng.choices(PAYMENT_METHODS, METHOD_WEIGHTS)[0]
    insurance = rng.random() < 0.3
    order_id = factory.add_order(who, status, lines, when, method, insurance)
    total = factory.rows.orders[-1][8]
    if status == "cancelled" and when.paid and when.cancelled:
        factory.add_refund(order_id, "cancel", total, method, when.cancelled, arrived=True)
    elif status in ("return_in_progress", "refunded") and when.delivered:
        quality = rng.random() < 0.3
        reason = "质量问题" if quality else rng.choice(world()["return_reasons"][:2])
        asked = when.delivered + rng.uniform(2, 120) * timedelta(hours=1)
        state = "approved" if status == "return_in_progress" else "refunded"
        factory.add_after_sale(order_id, "return", 1, lines[0], reason, quality, state, asked, insurance)
        if status == "refunded":
            refund_at = asked + timedelta(days=3)
            amount = lines[0].unit_price * lines[0].qty
            factory.add_refund(order_id, "return", amount, method, refund_at,
                               arrived=refund_at < now - timedelta(days=8))
