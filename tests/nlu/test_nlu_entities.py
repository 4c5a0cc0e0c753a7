"""Entity extraction: types, normalised values and character offsets, table-driven."""

from __future__ import annotations

import pytest

from graph.nlu import extract_entities
from graph.nlu.numerals import parse_number

CASES = [
    ("帮我查下订单313021098954", [("order_id", "313021098954", "313021098954")]),
    ("快递单号SF1234567890123到哪了", [("tracking_no", "SF1234567890123", "SF1234567890123")]),
    ("单号 sf 1234567890123", [("tracking_no", "SF1234567890123", "sf 1234567890123")]),
    ("中通快递单号是75312345678901", [("tracking_no", "75312345678901", "75312345678901")]),
    ("电话改成138-1234-5678", [("phone", "13812345678", "138-1234-5678")]),
    ("my phone is +86 139 1234 5678", [("phone", "13912345678", "+86 139 1234 5678")]),
    ("尾号8823的那个订单", []),
    ("手机尾号13812345678那个", []),
    ("降了100能退差价吗", [("amount", "100", "100")]),
    (
        "两百块的耳机买了三件",
        [("amount", "200", "两百块"), ("product", "耳机", "耳机"), ("quantity", "3", "三件")],
    ),
    ("满300减50还有吗", [("amount", "300", "300"), ("amount", "50", "50")]),
    ("多扣了两块五", [("amount", "2.5", "两块五")]),
    ("一千零五十元", [("amount", "1050", "一千零五十元")]),
    ("付了¥49.9", [("amount", "49.9", "¥49.9")]),
    ("少发了一件", [("quantity", "1", "一件")]),
    ("用了一个月就坏了", []),
    ("I want 2 pieces", [("quantity", "2", "2 pieces")]),
    (
        "地址改成北京市朝阳区建国路88号3单元502室",
        [("address", "北京市朝阳区建国路88号3单元502室", "北京市朝阳区建国路88号3单元502室")],
    ),
    ("黑色的蓝牙耳机有货吗", [("sku_attr", "黑色", "黑色"), ("product", "蓝牙耳机", "蓝牙耳机")]),
    ("175斤穿XL还是XXL", [("sku_attr", "XL", "XL"), ("sku_attr", "XXL", "XXL")]),
    ("换成M码的", [("sku_attr", "M", "M")]),
    ("do you have this in black?", [("sku_attr", "black", "black")]),
    ("手机号填错了", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_entities_table(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = extract_entities(text)
    assert [(e["type"], e["value"], e["text"]) for e in found] == expected
    for entity in found:
        assert text[entity["start"] : entity["end"]] == entity["text"]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("两百", 200),
        ("三", 3),
        ("十五", 15),
        ("三十五", 35),
        ("一百五", 150),
        ("一百零五", 105),
        ("一千零五十", 1050),
        ("两千三", 2300),
        ("一万二", 12000),
        ("1.5万", 15000),
        ("49.9", 49.9),
    ],
)
def test_chinese_numerals(numeral: str, value: float) -> None:
    assert parse_number(numeral) == value


def test_not_a_numeral() -> None:
    assert parse_number("百百") is None
    assert parse_number("abc") is None


def test_offsets_valid_in_huge_text() -> None:
    text = "订单313021098954" + "啊" * 20000 + "订单999999999999"
    found = extract_entities(text)
    assert found[0]["value"] == "313021098954"
    assert all(text[e["start"] : e["end"]] == e["text"] for e in found)
