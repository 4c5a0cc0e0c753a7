"""Slot fillers: entity slots render a surface form from a value chosen first (so the gold value
never comes from the extractor under test); other slots draw plain text from fillers.yaml."""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from finetune.nlu.templates import Segment
from graph.nlu.numerals import format_number

FILLERS_PATH = Path(__file__).parent / "data" / "fillers.yaml"
CN_DIGITS = "零一二三四五六七八九"
EN_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@lru_cache(maxsize=1)
def fillers() -> dict[str, Any]:
    """The filler lists."""
    return yaml.safe_load(FILLERS_PATH.read_text(encoding="utf-8"))


def to_chinese(n: int, two: bool = True) -> str:
    """An integer below 100,000 in Chinese numerals as people write them (200 -> 两百, 35 -> 三十五)."""
    if n == 0:
        return "零"
    if n >= 10000:
        head, rest = divmod(n, 10000)
        tail = to_chinese(rest, two) if rest else ""
        return to_chinese(head, two) + "万" + ("零" if 0 < rest < 1000 else "") + tail
    out: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        digit = "两" if d == 2 and two and unit >= 100 else CN_DIGITS[d]
        if not (unit == 10 and d == 1 and not out):
            out.append(digit)
        out.append(name)
    return "".join(out)


def _digits(rng: random.Random, length: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))


def order_id(rng: random.Random) -> list[Segment]:
    """An order id of 10-19 digits."""
    value = _digits(rng, rng.choice([10, 12, 12, 12, 14, 16, 18, 19]))
    return [(value, "order_id", value)]


def tracking_no(rng: random.Random) -> list[Segment]:
    """A carrier-prefixed tracking number, sometimes lowercase or spaced."""
    prefix = rng.choice(fillers()["carrier_prefix"])
    digits = _digits(rng, rng.choice([10, 12, 13, 15]))
    surface = rng.choice([prefix + digits] * 4 + [prefix.lower() + digits, prefix + " " + digits])
    return [(surface, "tracking_no", prefix + digits)]


def phone(rng: random.Random) -> list[Segment]:
    """A mainland mobile number, plain or with separators."""
    value = "1" + rng.choice("3456789") + _digits(rng, 9)
    style = rng.random()
    if style < 0.6:
        surface = value
    elif style < 0.75:
        surface = f"{value[:3]}-{value[3:7]}-{value[7:]}"
    elif style < 0.9:
        surface = f"{value[:3]} {value[3:7]} {value[7:]}"
    else:
        surface = "+86 " + value
    return [(surface, "phone", value)]


AMOUNTS = [
    9.9,
    19.9,
    29,
    35,
    49,
    49.9,
    50,
    59,
    68,
    88,
    99,
    100,
    120,
    128,
    150,
    199,
    200,
    259,
    299,
    300,
    399,
    450,
    500,
    599,
    800,
    999,
    1200,
    1500,
    2000,
    2999,
    3500,
]


def amount(rng: random.Random) -> list[Segment]:
    """An amount in yuan: digits with a unit, a currency sign, or Chinese numerals."""
    value = rng.choice(AMOUNTS)
    v = format_number(value)
    if value == int(value) and rng.random() < 0.3:
        return [(to_chinese(int(value)) + rng.choice(["块", "元", "块钱"]), "amount", v)]
    surface = rng.choice([f"{v}元", f"{v}块", f"{v}块钱", f"¥{v}", f"￥{v}", f"{v}元", f"{v} 元"])
    return [(surface, "amount", v)]


def amount_bare(rng: random.Random) -> list[Segment]:
    """A bare number used where context makes it an amount (降了100, 满300减50)."""
    v = format_number(rng.choice([10, 20, 30, 50, 60, 80, 100, 150, 200, 300, 500]))
    return [(v, "amount", v)]


def amount_en(rng: random.Random) -> list[Segment]:
    """An amount as English messages write it."""
    v = format_number(rng.choice(AMOUNTS))
    return [(rng.choice([f"¥{v}", f"{v} yuan", f"{v} RMB", f"RMB {v}", f"${v}"]), "amount", v)]


CLASSIFIERS = ["件", "件", "个", "个", "双", "条", "盒", "瓶", "台", "套"]


def quantity(rng: random.Random) -> list[Segment]:
    """A count with a classifier, in digits or Chinese numerals (两件, 3个)."""
    n = rng.choice([1, 2, 2, 2, 3, 3, 4, 5, 6, 10])
    written = rng.choice([str(n), to_chinese(n, two=False).replace("二", "两") if n == 2 else to_chinese(n)])
    return [(written + rng.choice(CLASSIFIERS), "quantity", str(n))]


def quantity_en(rng: random.Random) -> list[Segment]:
    """An English count (2 pieces, three items)."""
    n = rng.randint(2, 6)
    word = rng.choice([str(n), EN_NUMBERS[n]])
    return [(f"{word} {rng.choice(['pieces', 'items', 'units', 'pairs', 'sets'])}", "quantity", str(n))]


def size(rng: random.Random) -> list[Segment]:
    """A size (letter sizes with or without 码, shoe sizes, storage)."""
    f = fillers()
    if rng.random() < 0.6:
        letter = rng.choice(f["size_letter"])
        suffix = rng.choice(["", "", "码", "号"]) if len(letter) == 1 else rng.choice(["", "", "码"])
        if len(letter) == 1 and not suffix:
            suffix = "码"
        return [(letter + suffix, "sku_attr", letter + suffix)]  # as written: "M码", "XL码"
    word = rng.choice(f["size_other"])
    return [(word, "sku_attr", word)]


def size_en(rng: random.Random) -> list[Segment]:
    """A letter size."""
    word = rng.choice(["XL", "XXL", "XS", "2XL", "M", "L", "S"])
    return [(word, "sku_attr", word)]


def address(rng: random.Random) -> list[Segment]:
    """A mainland address, province optional."""
    f = fillers()
    province, city = rng.choice(f["province_city"])
    parts = [province if rng.random() < 0.5 else "", city, rng.choice(f["district"])]
    if rng.random() < 0.5:
        tail = f"{rng.choice(f['road'])}{rng.randint(1, 999)}号"
        if rng.random() < 0.5:
            tail += f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(101, 2806)}室"
    else:
        tail = (
            f"{rng.choice(f['road'])}{rng.choice(f['estate'])}{rng.randint(1, 30)}栋{rng.randint(101, 2806)}"
        )
        tail += "室" if rng.random() < 0.7 else "号"
    text = "".join(parts) + tail
    return [(text, "address", text)]


def address_en(rng: random.Random) -> list[Segment]:
    """A street address in English."""
    text = f"{rng.randint(1, 999)} {rng.choice(fillers()['street_en'])}"
    return [(text, "address", text)]


def _entity_list(slot: str, kind: str) -> Callable[[random.Random], list[Segment]]:
    def render(rng: random.Random) -> list[Segment]:
        word = rng.choice(fillers()[slot])
        return [(word, kind, word)]

    return render


RENDERERS: dict[str, Callable[[random.Random], list[Segment]]] = {
    "order_id": order_id,
    "tracking_no": tracking_no,
    "phone": phone,
    "amount": amount,
    "amount_bare": amount_bare,
    "amount_en": amount_en,
    "quantity": quantity,
    "quantity_en": quantity_en,
    "size": size,
    "size_en": size_en,
    "address": address,
    "address_en": address_en,
    "product": _entity_list("product", "product"),
    "product_en": _entity_list("product_en", "product"),
    "color": _entity_list("color", "sku_attr"),
    "color_en": _entity_list("color_en", "sku_attr"),
}


def render_slot(slot: str, rng: random.Random, lang: str = "zh") -> list[Segment]:
    """Segments for one `{slot}`: an entity with its gold value, or plain filler text. An English
    template takes the slot's `_en` list where there is one ("3 days ago", not "三 days")."""
    if lang == "en" and f"{slot}_en" in fillers() and f"{slot}_en" not in RENDERERS:
        slot = f"{slot}_en"
    if slot in RENDERERS:
        return RENDERERS[slot](rng)
    options = fillers().get(slot)
    if not options:
        raise KeyError(f"unknown template slot {{{slot}}}")
    return [(str(rng.choice(options)), None, None)]
