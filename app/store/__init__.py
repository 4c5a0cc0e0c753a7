"""The demo commerce store: one SQLite file (WAL) per shop at `settings.store_path`.

Open it with `ensure_demo_store(settings) -> Store` (creates and seeds the demo shop on first use,
safe when processes race; stores are cached per path). Times are shop-local (UTC+8) strings
"YYYY-MM-DD HH:MM:SS". All reads return plain dicts.

Reads
- `user(user_id)`, `order_owner(order_id)`, `order_row(order_id)`
- `list_orders(user_id)` / `recent_orders(user_id, limit=5, statuses=None)`: newest first, with items
- `get_order(order_id)`: order + items (with category, returnable) + shipment (events) + refunds + after_sales
- `shipment(order_id)`, `shipment_by_tracking(tracking_no)`
- `refunds_for`, `returns_for`, `exchanges_for`, `after_sales_for`, `invoices_for`, `price_claims_for`,
  `urges_for` (each takes an order_id)
- `product(sku)`, `variants(sku)`, `current_price(sku)`
- `demo_cases()`: case name -> order id of user `demo` (e.g. "shipped", "delivered_fresh", "price_drop")
- `action_log(order_id=None, action=None)`: every write with args, before and after (decoded JSON)
- `snapshot(order_id)`: the order's writable state; `counts()`: rows per table

Writes (used by app.actions): `logged_write(user_id, action, order_id, args, fn)` runs `fn` in a
`BEGIN IMMEDIATE` transaction and logs before/after; primitives `update_order`, `add_refund`,
`add_after_sale`, `change_stock`, `add_invoice`, `add_price_claim`, `add_urge`.
"""

from app.store.base import StoreError
from app.store.store import Store, close_all, create_demo_store, ensure_demo_store, open_store

__all__ = ["Store", "StoreError", "close_all", "create_demo_store", "ensure_demo_store", "open_store"]
