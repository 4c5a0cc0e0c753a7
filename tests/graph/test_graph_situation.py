"""Issue 21, the rule quoted fits the customer's situation: a rule for a parcel that shows delivered is not
quoted for one still out for delivery, nor for a refund or an invoice that did not arrive; it is quoted when the
customer says the parcel shows delivered. Unit cases and scripted turns asserting the reply."""

from __future__ import annotations

from graph import situation

SIGNED = {"title": "显示签收但未收到货", "text": "..."}
UNSHIPPED = {"title": "未发货订单退款与仅退款", "text": "..."}
EN_SIGNED = {"title": "Parcel shows delivered but not received", "text": "..."}


def test_a_delivered_parcel_rule_needs_the_customer_or_the_order_to_show_it():
    assert not situation.fits(SIGNED, "显示派送中啊 但是都下午五点了还没来")
    assert not situation.fits(SIGNED, "亲 退款显示成功了 但是我没收到")
    assert not situation.fits(SIGNED, "发票呢 没收到啊")
    assert situation.fits(SIGNED, "显示签收了 但我根本没收到")
    assert situation.fits(SIGNED, "快递说放门口了 门口啥也没有")
    assert situation.fits(SIGNED, "还没到 降噪蓝牙耳机 已签收 支付宝")  # the order in play shows it
    assert not situation.fits(EN_SIGNED, "it says out for delivery since this morning")
    assert situation.fits(EN_SIGNED, "tracking says delivered but nothing here")


def test_an_unshipped_order_rule_is_dropped_only_once_the_order_shipped():
    assert situation.fits(UNSHIPPED, "仅退款怎么申请")
    assert not situation.fits(UNSHIPPED, "智能手环 已发货、运输中 微信支付")
    assert situation.fits(UNSHIPPED, "还没发货 能退款吗")


def test_fitting_keeps_the_order_of_the_rest():
    other = {"title": "物流查询与配送时效", "text": "..."}
    assert situation.fitting([SIGNED, other], ["显示派送中 还没来"]) == [other]


def test_an_out_for_delivery_parcel_gets_no_delivered_parcel_rule(talk):
    late = talk("显示派送中一天了还没送来")
    assert "显示签收但未收到货" not in late["reply"]


def test_a_parcel_shown_delivered_gets_the_rule(talk):
    missing = talk("显示签收了 我没收到啊")
    assert "显示签收但未收到货" in missing["reply"]


def test_a_rule_on_damage_found_at_delivery_presupposes_no_delivered_status():
    inspection = {"title": "开箱验货与签收破损", "text": "..."}
    assert situation.fits(inspection, "刚送来的 茶几玻璃有道裂 师傅还没走")
    assert not situation.fits(SIGNED, "刚送来的 茶几玻璃有道裂 师傅还没走")
