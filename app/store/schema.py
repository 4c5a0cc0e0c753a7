"""The demo shop's SQLite schema (one file, WAL mode). Times are shop-local ISO strings."""

from __future__ import annotations

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL, level TEXT NOT NULL,
    balance REAL NOT NULL DEFAULT 0, gift_card_balance REAL NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS addresses (
    address_id INTEGER PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(user_id),
    receiver TEXT NOT NULL, phone TEXT NOT NULL, address TEXT NOT NULL, is_default INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS categories (
    category TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, returnable INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS products (
    sku TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL,
    category TEXT NOT NULL REFERENCES categories(category), price REAL NOT NULL,
    returnable INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS variants (
    sku TEXT NOT NULL REFERENCES products(sku), attr TEXT NOT NULL, value TEXT NOT NULL,
    stock INTEGER NOT NULL, PRIMARY KEY (sku, attr, value));
CREATE TABLE IF NOT EXISTS price_history (
    sku TEXT NOT NULL REFERENCES products(sku), price REAL NOT NULL, valid_from TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'regular');
CREATE INDEX IF NOT EXISTS price_history_sku ON price_history(sku, valid_from);
CREATE TABLE IF NOT EXISTS payment_methods (
    method TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
    refund_min_days INTEGER NOT NULL, refund_max_days INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(user_id), status TEXT NOT NULL,
    created_at TEXT NOT NULL, paid_at TEXT, shipped_at TEXT, delivered_at TEXT, cancelled_at TEXT,
    total REAL NOT NULL, shipping_fee REAL NOT NULL, payment_method TEXT NOT NULL,
    address TEXT NOT NULL, receiver TEXT NOT NULL, phone TEXT NOT NULL,
    has_shipping_insurance INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS orders_user ON orders(user_id, created_at);
CREATE TABLE IF NOT EXISTS order_items (
    order_id TEXT NOT NULL REFERENCES orders(order_id), line INTEGER NOT NULL, sku TEXT NOT NULL,
    name TEXT NOT NULL, qty INTEGER NOT NULL, unit_price REAL NOT NULL, attrs TEXT NOT NULL,
    PRIMARY KEY (order_id, line));
CREATE TABLE IF NOT EXISTS shipments (
    order_id TEXT PRIMARY KEY REFERENCES orders(order_id), carrier TEXT NOT NULL,
    tracking_no TEXT NOT NULL UNIQUE, shipped_at TEXT NOT NULL, delivered_at TEXT);
CREATE TABLE IF NOT EXISTS shipment_events (
    order_id TEXT NOT NULL REFERENCES orders(order_id), time TEXT NOT NULL, location TEXT NOT NULL,
    description TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS shipment_events_order ON shipment_events(order_id, time);
CREATE TABLE IF NOT EXISTS refunds (
    refund_id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(order_id),
    source TEXT NOT NULL, amount REAL NOT NULL, method TEXT NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, expected_by TEXT, arrived_at TEXT);
CREATE INDEX IF NOT EXISTS refunds_order ON refunds(order_id);
CREATE TABLE IF NOT EXISTS after_sales (
    request_id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(order_id),
    kind TEXT NOT NULL, line INTEGER NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL,
    reason TEXT NOT NULL, quality_issue INTEGER NOT NULL, target_attr TEXT, status TEXT NOT NULL,
    return_shipping_paid_by TEXT NOT NULL, refund_amount REAL NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS after_sales_order ON after_sales(order_id);
CREATE TABLE IF NOT EXISTS invoices (
    invoice_id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(order_id),
    title_type TEXT NOT NULL, title TEXT NOT NULL, tax_id TEXT, amount REAL NOT NULL,
    status TEXT NOT NULL, revision INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS invoices_order ON invoices(order_id);
CREATE TABLE IF NOT EXISTS price_protection (
    claim_id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(order_id),
    line INTEGER NOT NULL, sku TEXT NOT NULL, paid_price REAL NOT NULL, current_price REAL NOT NULL,
    qty INTEGER NOT NULL, amount REAL NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
    UNIQUE (order_id, line));
CREATE TABLE IF NOT EXISTS urges (
    urge_id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(order_id),
    created_at TEXT NOT NULL, promised_ship_by TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS urges_order ON urges(order_id);
CREATE TABLE IF NOT EXISTS demo_cases (case_name TEXT PRIMARY KEY, order_id TEXT NOT NULL,
    description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS action_log (
    log_id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id TEXT NOT NULL, action TEXT NOT NULL,
    order_id TEXT, args TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS action_log_order ON action_log(order_id);
"""
