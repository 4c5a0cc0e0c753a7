"""How each taxonomy intent is served: by a business action, by policy retrieval, or by the dialogue."""

from __future__ import annotations

# intent -> rasa-sdk action that serves it
ACTION_FOR_INTENT: dict[str, str] = {
    "order_status": "action_order_details",
    "logistics_tracking": "action_track_logistics",
    "refund_status": "action_refund_status",
    "cancel_order": "action_cancel_order",
    "modify_order": "action_modify_order",
    "return_request": "action_return_request",
    "exchange_request": "action_exchange_request",
    "price_protection": "action_price_protection",
    "invoice": "action_invoice_request",
    "urge_shipment": "action_urge_shipment",
}

READ_ACTIONS = {"action_order_details", "action_track_logistics", "action_refund_status", "action_list_orders"}

# intents answered from the policy knowledge base
POLICY_INTENTS = {
    "return_policy",
    "promotion_inquiry",
    "product_inquiry",
    "delivery_problem",
    "warranty_repair",
    "payment_issue",
    "account_issue",
    "complaint",
}

# asks the front tier answers from the store and a template, never with a large model
FRONT_TIER_INTENTS = {"logistics_tracking", "order_status", "refund_status", "greeting"}

TASK_INTENTS = set(ACTION_FOR_INTENT) | POLICY_INTENTS

# the order-bound intents for which a policy question without an order may still be asked
POLICY_FALLBACK_FOR = {
    "return_request": "return_policy",
    "exchange_request": "return_policy",
    "price_protection": "price_protection",
    "invoice": "invoice",
    "cancel_order": "cancel_order",
    "modify_order": "modify_order",
}

INTENT_NAMES_ZH: dict[str, str] = {
    "order_status": "订单查询",
    "logistics_tracking": "物流查询",
    "refund_status": "退款进度查询",
    "cancel_order": "取消订单",
    "modify_order": "修改订单",
    "return_request": "退货申请",
    "exchange_request": "换货申请",
    "price_protection": "价保申请",
    "invoice": "发票申请",
    "urge_shipment": "催发货",
}

INTENT_NAMES_EN: dict[str, str] = {
    "order_status": "order enquiry",
    "logistics_tracking": "parcel tracking",
    "refund_status": "refund enquiry",
    "cancel_order": "cancellation",
    "modify_order": "order change",
    "return_request": "return request",
    "exchange_request": "exchange request",
    "price_protection": "price-protection claim",
    "invoice": "invoice request",
    "urge_shipment": "shipping reminder",
}
