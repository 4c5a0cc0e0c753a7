"""The scripted orders of user `demo`: at least one order in every status, plus the cases that
exercise each shop rule. Each case is recorded in the `demo_cases` table (case name -> order id).

Times are hours before "now"; `paid` defaults to a few minutes after `created`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app.store.catalogue_rows import PriceBook
from app.store.factory import Customer, Line, OrderFactory, Timeline
from app.store.seed_data import products_by_sku

DEMO_USER = "demo"
DEMO_PROFILE = {"name": "演示用户", "phone": "13800138000", "level": "gold", "balance": 200.0,
                "gift_card_balance": 500.0}
DEMO_ADDRESSES = [
    ("演示用户", "13800138000", "上海市浦东新区世纪大道100号8楼", "上海市", "浦东新区"),
    ("演示用户", "13800138000", "北京市朝阳区建国路88号SOHO现代城3号楼", "北京市", "朝阳区"),
]

D = 24.0  # hours per day
CASES: list[dict[str, Any]] = [
    {"case": "pending_payment", "status": "pending_payment", "lines": [("EL-3004", 1, {"colour": "黑色"})],
     "method": "alipay", "created": 1, "paid": None, "about": "未付款订单"},
    {"case": "paid", "status": "paid", "lines": [("AP-1003", 1, {"size": "L", "colour": "黑色"})],
     "method": "wechat", "created": 3, "about": "刚付款、待处理，可取消/改地址"},
    {"case": "processing", "status": "processing", "method": "alipay", "created": 30,
     "lines": [("BK-6002", 1, {}), ("BK-6001", 1, {})], "about": "处理中，48小时发货时限内"},
    {"case": "processing_overdue", "status": "processing", "method": "bank_card", "created": 60,
     "lines": [("HM-4003", 1, {"size": "1.8米", "colour": "灰色"})], "about": "付款超过48小时仍未发货"},
    {"case": "shipped", "status": "shipped", "method": "alipay", "created": 2 * D, "shipped": 26,
     "lines": [("EL-3003", 1, {"colour": "蓝色"})], "about": "已发货、有物流轨迹，不能取消"},
    {"case": "delivered_returnable", "status": "delivered", "method": "alipay", "insurance": True,
     "created": 6 * D, "shipped": 5 * D, "delivered": 3 * D,
     "lines": [("AP-1001", 2, {"size": "M", "colour": "黑色"})],
     "about": "签收3天的T恤，可七天无理由退货、可换尺码（XXL无货），有运费险"},
    {"case": "delivered_fresh", "status": "delivered", "method": "wechat", "created": 3 * D,
     "shipped": 2 * D, "delivered": 1 * D, "lines": [("FR-8001", 1, {})],
     "about": "生鲜，无质量问题不可退"},
    {"case": "delivered_custom", "status": "delivered", "method": "alipay", "created": 8 * D,
     "shipped": 4 * D, "delivered": 2 * D, "lines": [("CU-9001", 1, {})], "about": "定制商品，无质量问题不可退"},
    {"case": "price_drop", "status": "delivered", "method": "bank_card", "created": 5 * D,
     "shipped": 4 * D, "delivered": 2 * D,
     "lines": [("EL-3001", 1, {"colour": "黑色"}), ("HM-4002", 2, {"colour": "银色"})],
     "about": "付款后降价：耳机599→549，保温杯99→79（×2），价保共90元"},
    {"case": "flash_sale_drop", "status": "delivered", "method": "wechat", "created": 6 * D,
     "shipped": 5 * D, "delivered": 4 * D, "lines": [("SN-7001", 1, {})], "about": "现价为秒杀价，不予价保"},
    {"case": "gift_card", "status": "delivered", "method": "gift_card", "created": 7 * D,
     "shipped": 6 * D, "delivered": 4 * D, "lines": [("HM-4001", 1, {})], "about": "礼品卡支付，退款实时退回礼品卡"},
    {"case": "delivered_multi", "status": "delivered", "method": "balance", "created": 8 * D,
     "shipped": 7 * D, "delivered": 5 * D,
     "lines": [("SH-2001", 1, {"size": "42", "colour": "白色"}), ("BE-5002", 1, {})], "about": "两件商品，余额支付"},
    {"case": "completed_defect_window", "status": "completed", "method": "alipay", "created": 13 * D,
     "shipped": 12 * D, "delivered": 10 * D, "lines": [("EL-3002", 1, {"colour": "白色"})],
     "about": "签收10天：无理由退货已过期，质量问题15天内可退"},
    {"case": "completed_old", "status": "completed", "method": "bank_card", "created": 23 * D,
     "shipped": 22 * D, "delivered": 20 * D, "lines": [("EL-3007", 1, {})], "invoice": True,
     "about": "签收20天，已超过所有退换期限；已开发票"},
    {"case": "completed_digital", "status": "completed", "method": "alipay", "created": 3 * D,
     "shipped": 3 * D - 0.1, "delivered": 3 * D - 0.2, "lines": [("DG-9501", 1, {})],
     "about": "数字商品，不支持无理由退货"},
    {"case": "cancelled", "status": "cancelled", "method": "balance", "created": 4 * D, "cancelled": 4 * D - 2,
     "lines": [("SN-7003", 2, {})], "refund": ("cancel", True, 4 * D - 2), "about": "已取消，余额退款已到账"},
    {"case": "return_in_progress", "status": "return_in_progress", "method": "wechat", "created": 9 * D,
     "shipped": 8 * D, "delivered": 5 * D, "lines": [("AP-1002", 1, {"size": "XL", "colour": "黑色"})],
     "after_sale": ("return", "尺码不合适", False, "approved", 2 * D), "about": "退货处理中，等待寄回"},
    {"case": "refunded", "status": "refunded", "method": "alipay", "created": 25 * D, "shipped": 24 * D,
     "delivered": 21 * D, "lines": [("SH-2002", 1, {"size": "38", "colour": "白色"})],
     "after_sale": ("return", "不喜欢", False, "refunded", 18 * D), "refund": ("return", True, 15 * D),
     "about": "已退款且已到账（支付宝）"},
    {"case": "refund_pending", "status": "refunded", "method": "bank_card", "created": 12 * D,
     "shipped": 11 * D, "delivered": 9 * D, "lines": [("BE-5001", 1, {})],
     "after_sale": ("return", "质量问题", True, "refunded", 6 * D), "refund": ("return", False, 2 * D),
     "about": "已退款、银行卡退款处理中（3-7个工作日）"},
]


def add_demo_user(factory: OrderFactory, prices: PriceBook) -> None:
    """Adds user `demo`, its addresses and every scripted case order."""
    rows, now = factory.rows, factory.now
    profile = DEMO_PROFILE
    rows.users.append((DEMO_USER, profile["name"], profile["phone"], profile["level"], profile["balance"],
                       profile["gift_card_balance"]))
    for index, (receiver, phone, address, _, _) in enumerate(DEMO_ADDRESSES):
        rows.addresses.append((DEMO_USER, receiver, phone, address, int(index == 0)))
    receiver, phone, address, city, district = DEMO_ADDRESSES[0]
    who = Customer(DEMO_USER, receiver, phone, address, city, district)
    catalogue = products_by_sku()
    for spec in CASES:
        when = _timeline(spec, now)
        lines = [Line(catalogue[sku], qty, attrs, prices.price_at(sku, when.created))
                 for sku, qty, attrs in spec["lines"]]
        order_id = factory.add_order(who, spec["status"], lines, when, spec["method"], spec.get("insurance", False))
        rows.cases.append((spec["case"], order_id, spec["about"]))
        _add_extras(factory, spec, order_id, lines, now)


def _timeline(spec: dict[str, Any], now: datetime) -> Timeline:
    def ago(key: str) -> datetime | None:
        hours = spec.get(key)
        return None if hours is None else now - timedelta(hours=hours)

    created = ago("created") or now
    paid = None if "paid" in spec and spec["paid"] is None else created + timedelta(minutes=3)
    return Timeline(created, paid, ago("shipped"), ago("delivered"), ago("cancelled"))


def _add_extras(factory: OrderFactory, spec: dict[str, Any], order_id: str, lines: list[Line], now: datetime) -> None:
    if "after_sale" in spec:
        kind, reason, quality, status, hours = spec["after_sale"]
        factory.add_after_sale(order_id, kind, 1, lines[0], reason, quality, status,
                               now - timedelta(hours=hours), spec.get("insurance", False))
    if "refund" in spec:
        source, arrived, hours = spec["refund"]
        amount = sum(line.unit_price * line.qty for line in lines)
        if source == "cancel":
            amount = factory.rows.orders[-1][8]
        factory.add_refund(order_id, source, amount, spec["method"], now - timedelta(hours=hours), arrived)
    if spec.get("invoice"):
        total = factory.rows.orders[-1][8]
        created = now - timedelta(hours=spec["created"]) + timedelta(days=1)
        factory.rows.invoices.append((order_id, "personal", "个人", None, total, "issued", 0,
                                      created.strftime("%Y-%m-%d %H:%M:%S")))
