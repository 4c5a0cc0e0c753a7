"""The conditions a customer states, and how well a policy case fits them.

A condition is a named value of a kind (a place, a product, a payment method, a member level, an
order state; graph/generation/templates/conditions.yaml) or a quantity (a duration, an amount, a
floor, a screen size, a count, a calendar month). A case fits when it names the same value or a wider
one that holds it (杭州 -> 浙江 -> 江浙沪), or when the quantity falls inside the range it states
("使用3年到8年", "满800元", "4楼及以上"); it conflicts when it names another value of the same kind
or a range the quantity lies outside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from graph.generation.clock import clock_times
from graph.generation.data import load_yaml
from graph.generation.numbers import cn_to_int
from graph.generation.text import normalise

INF = float("inf")
EXACT, WITHIN, CONFLICT = 3.0, 2.0, -1.5
"""Fit of a case naming the customer's own value, a wider value that holds it, another value."""
IN_RANGE, OUT_OF_RANGE = 2.5, -2.0
_OTHER_OF = {"place": re.compile(r"省|地区|城市|地方|区域|region|province|cit"),
             "product": re.compile(r"商品|品类|产品|类目|product|item")}

_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+"
# unit words -> (family, factor to the family's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "个工作日": ("day", 1), "工作日": ("day", 1), "天": ("day", 1), "日": ("day", 1), "days": ("day", 1),
    "day": ("day", 1), "working days": ("day", 1), "个小时": ("day", 1 / 24), "小时": ("day", 1 / 24),
    "hours": ("day", 1 / 24), "hour": ("day", 1 / 24), "周": ("day", 7), "星期": ("day", 7), "礼拜": ("day", 7),
    "weeks": ("day", 7), "week": ("day", 7), "个月": ("day", 30), "months": ("day", 30), "month": ("day", 30),
    "年": ("day", 365), "years": ("day", 365), "year": ("day", 365),
    "元": ("money", 1), "块钱": ("money", 1), "块": ("money", 1), "yuan": ("money", 1), "rmb": ("money", 1),
    "楼": ("floor", 1), "层": ("floor", 1), "floor": ("floor", 1), "英寸": ("inch", 1), "寸": ("inch", 1),
    "inches": ("inch", 1), "inch": ("inch", 1), "公里": ("km", 1), "km": ("km", 1),
    "台": ("count", 1), "件": ("count", 1), "套": ("count", 1), "units": ("count", 1), "unit": ("count", 1),
    "pcs": ("count", 1), "sets": ("count", 1), "次": ("count", 1), "月份": ("calendar", 1),
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_QTY = re.compile(rf"(?P<a>{_NUM})(?P<more>多|几)?\s*(?:(?:{_UNIT_RE})?\s*(?:-|~|～|至|到|—|to)\s*(?:第)?"
                  rf"(?P<b>{_NUM})\s*)?(?P<unit>{_UNIT_RE})(?![a-z])", re.I)
_BARE_COUNT = re.compile(
    r"(?<![\d.])(?P<a>\d+)\s+(?=[a-z]{3,})(?!(?:days?|hours?|weeks?|months?|years?|yuan|rmb|working|floors?)\b)", re.I)
_SPENT = re.compile(r"(?:(?:买|花|付|消费|实付|价格?|总共|一共|单价|订单|金额|总额|订了)[了个过的是为]{0,2}"
                    r"|(?<![a-z])(?:spend|spent|spending|pay|paid|paying|cost|costs|worth|total of|order of|"
                    r"purchase of)\s+(?:over\s+|more than\s+)?)"
                    r"\s*[¥￥$]?\s*(?P<a>\d{2,}(?:\.\d+)?)(?![\d.])"
                    r"(?!\s*(?:个?(?:工作日|天|小时|月|年|周)|%|折|倍|期|次|[台件套楼层寸]|英寸|公里|km|days?\b|hours?\b|"
                    r"weeks?\b|months?\b|years?\b|times\b|items?\b|pieces?\b|pcs\b|percent))", re.I)
"""An amount paid told without its unit ("买了3500的东西", "订单12000", "if I spend 400"): money."""
_CALENDAR = re.compile(rf"(?P<a>{_NUM})月(?!份)(?:(?P<d>\d+)日)?(?:\s*(?:-|至|到|—)\s*(?P<b>{_NUM})月)?")
_HALF = {"半个月": ("day", 15.0), "半年": ("day", 182.0), "一天半": ("day", 1.5), "半天": ("day", 0.5)}
_AND_HALF = re.compile(rf"(?P<a>{_NUM})(?:(?P<unit>年|天|个?小时|周|个?星期)半|个半(?P<unit2>月|小时|星期))")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)\s*(floor)\b", re.I)
_HALF_UNIT = {"年": "年", "天": "天", "小时": "小时", "周": "周", "星期": "星期", "月": "个月"}
_EXCEPT = re.compile(r"除了?[^，。；：,;]{1,30}?(?:以外|之外|外)|(?:except|excluding|other than)\s+[^,.;:]{1,40}", re.I)
_AT_LEAST = re.compile(r"(?:超过|满|大于|多于|不少于|至少|over|more than|at least)\s*(?:第)?$", re.I)
_BELOW = re.compile(r"(?:不满|未满|不足|少于|低于|小于|不超过|under|less than|up to|within)\s*$", re.I)
_AFTER_UP = re.compile(r"^\s*(?:及以上|或以上|以上|起|及更多|\+|or more|and (?:above|more|up))", re.I)
_AFTER_DOWN = re.compile(r"^\s*(?:以下|以内|之内|内|及以下|or less|or fewer)", re.I)


@dataclass(frozen=True)
class Quantity:
    family: str
    low: float
    high: float


@dataclass
class Condition:
    """What the customer said that selects a case: values by kind (with the wider values that hold
    them) and quantities."""

    values: dict[str, set[str]] = field(default_factory=dict)
    exact: dict[str, set[str]] = field(default_factory=dict)
    quantities: list[Quantity] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.values or self.quantities)


@cache
def _vocabulary() -> tuple[list[tuple[str, str, str]], dict[str, set[str]], dict[str, str], tuple[str, ...]]:
    """(word, kind, value) longest word first; value -> wider values; English word -> value; 'other' words."""
    data = load_yaml("templates/conditions.yaml")
    words: dict[str, tuple[str, str]] = {}
    wider: dict[str, set[str]] = {}
    place = data["kinds"]["place"]
    for province in place["provinces"]:
        words[province] = ("place", province)
    for region, members in place["regions"].items():
        words[region] = ("place", region)
        for member in members:
            wider.setdefault(member, set()).add(region)
    for province, cities in place["cities"].items():
        for city in cities:
            words[city] = ("place", city)
            wider.setdefault(city, set()).add(province)
    product = data["kinds"]["product"]
    for group in ("categories", "sizes"):
        for category, items in product[group].items():
            words.setdefault(category, ("product", category))
            for item in items:
                words.setdefault(item, ("product", item))
                wider.setdefault(item, set()).add(category)
    for kind in ("payment", "member", "state"):
        for value, names in data["kinds"][kind]["values"].items():
            for name in [value, *names]:
                words[name] = (kind, value)
    ordered = sorted(((w, k, v) for w, (k, v) in words.items()), key=lambda t: -len(t[0]))
    return ordered, wider, {str(k).lower(): str(v) for k, v in data["english"].items()}, tuple(data["other"])


def _closure(value: str, wider: dict[str, set[str]]) -> set[str]:
    out, todo = {value}, [value]
    while todo:
        for up in wider.get(todo.pop(), ()):
            if up not in out:
                out.add(up)
                todo.append(up)
    return out


@cache
def _patterns() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """One alternation of every condition word, English phrases (with a plural) and Chinese words,
    longest first, so a single left-to-right scan finds each span once ("床垫" is not "床")."""
    ordered, _, english, _ = _vocabulary()
    by_word = {w.lower(): (k, v) for w, k, v in ordered}
    by_word.update({p: by_word[v] for p, v in english.items() if v in by_word})
    latin = sorted((w for w in by_word if w.isascii()), key=len, reverse=True)
    other = sorted((w for w in by_word if not w.isascii()), key=len, reverse=True)
    alternatives = [rf"(?<![a-z]){re.escape(w)}(?:s|es)?(?![a-z])" for w in latin] + [re.escape(w) for w in other]
    return re.compile("|".join(alternatives)), by_word


@lru_cache(maxsize=8192)
def mentions(text: str) -> tuple[tuple[str, str, int], ...]:
    """(kind, value, position) named in `text`, in reading order."""
    pattern, by_word = _patterns()
    found = []
    for m in pattern.finditer(normalise(text).lower()):
        word = m.group(0)
        hit = by_word.get(word) or by_word.get(word[:-1]) or by_word.get(word[:-2])
        if hit:
            found.append((hit[0], hit[1], m.start()))
    return tuple(found)


def without_mentions(text: str) -> str:
    """`text` with the condition words blanked (what is left names the topic: "冰箱上门取件费" -> "上门取件费")."""
    return _patterns()[0].sub(" ", normalise(text).lower())


def _number(raw: str) -> float | None:
    if raw[0].isdigit():
        return float(raw)
    value = cn_to_int(raw)
    return None if value is None else float(value)


@lru_cache(maxsize=8192)
def quantities(text: str, qualified_only: bool = False) -> tuple[Quantity, ...]:
    """Quantities of `text` as ranges in base units. A bare figure is a point; "满800元" and "8年以上"
    open upwards, "不满3年" and "10天内" downwards. `qualified_only` keeps ranges and bounds only
    (in a case's consequence a bare figure is not a condition)."""
    text = _ORDINAL.sub(r"\1 \2", normalise(text))  # "4th floor" is floor 4
    out: list[Quantity] = []
    for m in _AND_HALF.finditer(text):  # "一年半", "两个半月", "3天半": the unit and a half more
        family, factor = _UNITS[_HALF_UNIT[(m.group("unit") or m.group("unit2")).removeprefix("个")]]
        a = _number(m.group("a"))
        if a is not None:
            out.append(Quantity(family, (a + 0.5) * factor, (a + 0.5) * factor))
    text = _AND_HALF.sub(" ", text)
    for word, (family, value) in _HALF.items():
        if word in text:
            out.append(Quantity(family, value, value))
            text = text.replace(word, " ")
    for m in _QTY.finditer(text):
        family, factor = _UNITS[m.group("unit").lower()]
        a = _number(m.group("a"))
        b = _number(m.group("b")) if m.group("b") else None
        if a is None:
            continue
        low, high = a * factor, (b * factor if b is not None else a * factor)
        if m.group("more"):  # 三十多公里, 十几年: a little more than
            high = low * 1.5 if low >= 10 else low + 1
            low = low + (0.5 if low < 10 else 1)
        before, after = text[max(0, m.start() - 10):m.start()], text[m.end():m.end() + 10]
        if _BELOW.search(before) or _AFTER_DOWN.match(after):  # before "满": "不满3年" is below 3
            low = 0.0
        elif _AT_LEAST.search(before) or _AFTER_UP.match(after):
            high = INF
        elif qualified_only and b is None:
            continue
        out.append(Quantity(family, low, high))
    if not qualified_only:
        out += [Quantity("money", float(m.group("a")), float(m.group("a"))) for m in _SPENT.finditer(text)
                if not _QTY.match(text, m.start("a"))]
        out += [Quantity("count", float(m.group("a")), float(m.group("a"))) for m in _BARE_COUNT.finditer(text)]
    out += [Quantity("clock", low, high) for low, high in clock_times(text, qualified_only)]
    for m in _CALENDAR.finditer(text):
        a = _number(m.group("a"))
        b = _number(m.group("b")) if m.group("b") else a
        if a is not None and b is not None and 1 <= a <= 12 and 1 <= b <= 12 and text[m.end():m.end() + 1] != "内":
            out.append(Quantity("calendar", a, b))
    return tuple(out)


def condition_of(text: str) -> Condition:
    """The values and quantities a customer's message states."""
    _, wider, _, _ = _vocabulary()
    cond = Condition(quantities=list(quantities(text)))
    for kind, value, _ in mentions(text):
        cond.values.setdefault(kind, set()).update(_closure(value, wider))
        cond.exact.setdefault(kind, set()).add(value)
    return cond


def other_at(text: str) -> int:
    """Where the case says "any other" value of its kind (其他省份), or -1."""
    spots = [text.find(word) for word in _vocabulary()[3] if word in text]
    return min(spots) if spots else -1


def fit_by_kind(cond: Condition, case: str) -> dict[str, float]:
    """Per kind (and "quantity"): how well the case's text fits what the customer said, positive for a
    match, negative for a conflict. A value the case names after its "other" word is an example
    ("其他省份（含北京…）"), not a conflict; one before it scopes it ("广东省内其他城市")."""
    out: dict[str, float] = {}
    if not cond:
        return out
    _, wider, _, _ = _vocabulary()
    other = other_at(case)
    named: dict[str, list[tuple[str, int]]] = {}
    for kind, value, position in mentions(case):
        named.setdefault(kind, []).append((value, position))
    for kind in set(cond.values) - set(named):
        if other >= 0 and _OTHER_OF.get(kind) and _OTHER_OF[kind].search(case[other:other + 6]):
            out[kind] = WITHIN / 2  # "其他省份" covers a province no case names
    excepted = _excepted(case)
    for kind, values in named.items():
        asked = cond.values.get(kind)
        if not asked:
            continue
        left_out = [v for v, position in values if any(a <= position < b for a, b in excepted)]
        if left_out:  # "除新疆、西藏外的大陆地区": the values it names are the ones it does not cover
            hit = max(_value_fit(v, asked, cond.exact.get(kind, set()), wider) for v in left_out) > 0
            out[kind] = CONFLICT if hit else WITHIN
            continue
        best = max(_value_fit(v, asked, cond.exact.get(kind, set()), wider) for v, _ in values)
        examples = other >= 0 and all(position > other for _, position in values)
        out[kind] = best if best > 0 else (0.0 if examples else CONFLICT)
    for span in quantities(case, qualified_only=True):
        asked_q = [q for q in cond.quantities if q.family == span.family]
        if asked_q:
            inside = any(span.low <= q.low <= span.high for q in asked_q)
            out["quantity"] = max(out.get("quantity", OUT_OF_RANGE), IN_RANGE if inside else OUT_OF_RANGE)
    return out


def _excepted(case: str) -> list[tuple[int, int]]:
    """Spans of `case` (normalised, lower case) that name what it leaves out ("除新疆、西藏外", "except Tibet")."""
    return [(m.start(), m.end()) for m in _EXCEPT.finditer(normalise(case).lower())]


def fit(cond: Condition, case: str, weight: float = 1.0) -> float:
    """How well a case's text fits the condition: positive for a match, negative for a conflict."""
    return sum(fit_by_kind(cond, case).values()) * weight


def _value_fit(value: str, asked: set[str], exact: set[str], wider: dict[str, set[str]]) -> float:
    if value in exact:
        return EXACT
    if value in asked:
        return WITHIN
    return WITHIN / 2 if exact & _closure(value, wider) else 0.0  # the case is narrower than what was said


def specificity(case: str, cond: Condition) -> float:
    """The lower bound of the case's range in the asked family (of tiers that all fit, the highest wins)."""
    families = {q.family for q in cond.quantities}
    bounds = [q.low for q in quantities(case, qualified_only=True) if q.family in families]
    return max(bounds) if bounds else 0.0
