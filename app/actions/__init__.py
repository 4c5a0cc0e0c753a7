"""kefu's business actions as rasa-sdk `Action` subclasses (contract: app/actions/protocol.py).

In-process: `app.actions.runner.run_action(name, user_id=..., slots=..., mode="check"|"execute")`.
As a standard Rasa action server:
`SANIC_HOST=127.0.0.1 python -m rasa_sdk --actions app.actions --port 5055`.

Actions and the slots they read (besides `kefu_user_id` and `kefu_mode`):
- read: `action_order_details` (order_id), `action_track_logistics` (order_id or tracking_no),
  `action_refund_status` (order_id), `action_list_orders` (order_status, optional)
- write: `action_cancel_order` (order_id), `action_modify_order` (order_id, address, phone),
  `action_return_request` (order_id, product, reason, quality_issue),
  `action_exchange_request` (order_id, product, sku_attr, reason, quality_issue),
  `action_price_protection` (order_id), `action_invoice_request` (order_id, invoice_title, tax_id),
  `action_urge_shipment` (order_id; `needs_confirmation: False`)
"""
