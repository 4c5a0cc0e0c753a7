"""Rule-based entity extraction with normalisers (the DST slots of taxonomy.yaml).

Rules are precise on the formats that matter to actions (order ids, tracking numbers, phones,
amounts, quantities) and cheap enough to run on every message. Each finder yields candidate
spans; overlaps are resolved by finder priority, then by length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from graph.nlu.numerals import CN_NUM_CHARS, NUMBER_PATTERN, format_number, parse_number

Entity = dict[str, object]
LEXICON_DIR = Path(__file__).parent / "lexicon"
# Entities are looked for in this prefix of a message only (offsets stay valid), to bound latency;
# it matches the service's default message cap (settings.max_message_chars).
MAX_ENTITY_CHARS = 2000

CARRIERS = "SF|JDVA|JDV|JDX|JD|YTO|YT|ZTO|STO|YD|YUNDA|EMS|DPK|DBL|JT|HTKY|ZJS|KYE|UC|TT|BEST"
TRACKING_PREFIXED = re.compile(
    rf"(?<![A-Za-z0-9])((?:{CARRIERS})[ \-]?\d{{8,18}}|[A-Z]{{2}}\d{{9}}[A-Z]{{2}})(?![0-9])",
    re.IGNORECASE,
)
TRACKING_CONTEXT = re.compile(
    r"(?:快递单号|运单号|物流单号|快递号|单号是快递|tracking\s*(?:number|no\.?|#)|waybill)"
    r"\s*(?:是|为|:|：|is)?\s*(\d{8,20})(?!\d)",
    re.IGNORECASE,
)
PHONE = re.compile(r"(?<![\d])(?:\+?86[ \-]?)?(1[3-9]\d(?:[ \-]?\d{4}){2})(?!\d)")
DIGIT_RUN = re.compile(r"(?<![\d.])(\d{8,20})(?!\d|\.\d|[A-Za-z@])")
LETTER_LEAD_OK = re.compile(r"(?:order|no\.?|id|#|number)$", re.IGNORECASE)
# A partial number ("尾号8823", "后四位") names the end of an id, never a whole one.
PARTIAL_BEFORE = re.compile(
    r"(?:尾号|末尾|后四位|后4位|后六位|末四位|末位|结尾是|ending in|last \d digits)\s*(?:是|为)?\s*$"
)
ORDER_CONTEXT = re.compile(
    r"(?:订单|单号|order)\s*(?:号|编号|no\.?|number|#|id)?\s*(?:是|为|:|：)?\s*$", re.IGNORECASE
)

AMOUNT_UNIT = re.compile(
    rf"(?:[¥￥]|RMB ?|\$)\s*(\d+(?:\.\d+)?)|({NUMBER_PATTERN})\s*(元|块钱|块|rmb|RMB|yuan|bucks|刀)(?!手表|表|布|肥皂|屏)"
)
# The tenths after 块 ("两块五"); a following classifier ("两次", "2个") means it is not one.
JIAO = re.compile(rf"([{CN_NUM_CHARS[:13]}1-9])(毛|角)?([\u4e00-\u9fff\d])?")
AMOUNT_CONTEXT = re.compile(
    r"(?:降了|降价了|便宜了|差价|多扣了|扣了|扣款|付了|花了|少退了|退了|补了|满|减|优惠了|涨了|价格是|卖|低了|贵了|便宜|凑单到|凑到|drop了?|dropped by|off)\s*"
    r"(\d+(?:\.\d+)?)(?![\d.%]|\s*(?:件|个|天|号|点|次|单|折|%|元|块|小时|分钟|年|月|斤|G|cm|mm|kg|ml|码|w))"
)
CLASSIFIERS = "件|个|双|条|台|瓶|盒|包|箱|袋|只|支|套|份|本|张|副|桶|罐|根|把|片|对|顶|部|块"
QUANTITY = re.compile(
    rf"(?<![第\d.])((?:\d{{1,3}})|[{CN_NUM_CHARS}]{{1,4}})\s*(?:{CLASSIFIERS})"
    r"(?!月(?!饼)|小时|钟头|星期|礼拜|工作日|人|多月|半月|钱|手表|表|套|凭证|装|子|账号|帐号|账户|订单|问题)"
)
QUANTITY_EN = re.compile(
    r"\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:pieces|piece|pcs|items|item|pairs|pair|units|unit|bottles|boxes|box|sets|set|packs)\b"
    r"|[x×]\s?(\d{1,3})\b",
    re.IGNORECASE,
)
ONE_ITEM_BEFORE = re.compile(r"(?:少了|少发了?|漏发了?|多发了?|只收到了?|只到了|买了|拍了|只买了)$")
EN_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    )
}
SIZE = re.compile(
    r"(?<![A-Za-z0-9])((?:[2-5]XL|XXXL|XXL|XL|XS)|[SML](?=\s*(?:码|号|的|size))"
    r"|(?<=size )[SML]\b|(?<=\bin )[SML]\b|(?<=尺码)[SML]\b)(?![A-Za-z])"
    r"|(?<!\d)\d{2}(?:\.5)?码|(?:加大号|大号|中号|小号|均码|加长款|标准版|高配版|顶配版|旗舰版|Pro版|Max版|mini版)"
    r"|(?<![\d.])(?:64|128|256|512)\s?(?:G|GB)(?![A-Za-z])|1\s?TB(?![A-Za-z])",
    re.IGNORECASE,
)
SIZE_TALK = re.compile(r"size|码|尺码|尺寸|号|大小|fit", re.IGNORECASE)
LONE_SIZE = re.compile(r"(?<![A-Za-z0-9'’])[SML](?![A-Za-z0-9'’])")
ADDRESS = re.compile(
    r"(?:[\u4e00-\u9fa5]{2,6}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{2,5}?市)?(?:[\u4e00-\u9fa5]{1,5}?(?:区|县))?"
    r"[\u4e00-\u9fa5]{1,12}?(?:路|街|大道|巷|村|镇)(?!由)\s?[\dA-Za-z零一二三四五六七八九十百\-]*"
    r"(?:号(?:院|楼)?)?(?:[\u4e00-\u9fa5\dA-Za-z\-]{0,14}?(?:号楼|栋|幢|单元|室|楼|小区|大厦|公寓|花园|号))*"
)
ADDRESS_REGION = re.compile(r"[\u4e00-\u9fa5]{2}(?:省|市|区|县)")
ADDRESS_LEAD = re.compile(
    r"^.*?(?:地址改成|地址改为|地址是|收货地址|改成|改为|改到|寄到|送到|发到|换成|地址|住在|的是|是|在|到)"
)
ADDRESS_EN = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd)\b\.?"
)


@cache
def _lexicon(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns for a word list (Chinese words anywhere; Latin words on word boundaries)."""
    words = [
        w.strip()
        for w in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    ]
    words.sort(key=len, reverse=True)
    cjk = [re.escape(w) for w in words if not w.isascii()]
    latin = [re.escape(w) for w in words if w.isascii()]
    return (
        re.compile("(?:" + "|".join(cjk) + ")(?!号|尾号|卡|套餐|端|版本|系统|上|里)"),
        re.compile(r"(?<![A-Za-z])(?:" + "|".join(latin) + r")(?![A-Za-z]| Friday)", re.IGNORECASE),
    )


Span = tuple[str, str, int, int]  # type, value, start, end


def _tracking(text: str) -> Iterator[Span]:
    for m in TRACKING_PREFIXED.finditer(text):
        yield "tracking_no", re.sub(r"[ \-]", "", m.group(1)).upper(), m.start(1), m.end(1)
    for m in TRACKING_CONTEXT.finditer(text):
        yield "tracking_no", m.group(1), m.start(1), m.end(1)


def _ids(text: str) -> Iterator[Span]:
    for m in PHONE.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        if PARTIAL_BEFORE.search(before):
            continue
        digits = re.sub(r"\D", "", m.group(1))
        kind = "order_id" if ORDER_CONTEXT.search(before) and m.group(1).isdigit() else "phone"
        yield kind, digits, m.start(), m.end()
    for m in DIGIT_RUN.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        if PARTIAL_BEFORE.search(before) or (
            before[-1:].isascii() and before[-1:].isalpha() and not LETTER_LEAD_OK.search(before)
        ):
            continue
        yield "order_id", m.group(1), m.start(1), m.end(1)


def _amounts(text: str) -> Iterator[Span]:
    for m in AMOUNT_UNIT.finditer(text):
        if m.group(1):
            value = parse_number(m.group(1))
        else:
            value = parse_number(m.group(2))
        end = m.end()
        jiao = JIAO.match(text, end)
        if value is not None and jiao and (jiao.group(2) or (m.group(3) == "块" and not jiao.group(3))):
            value += (parse_number(jiao.group(1)) or 0) / 10  # 两块五 = 2.5, 三块五毛 = 3.5
            end = jiao.end()
        if value is not None:
            yield "amount", format_number(value), m.start(), end
    for m in AMOUNT_CONTEXT.finditer(text):
        yield "amount", format_number(float(m.group(1))), m.start(1), m.end(1)


def _quantities(text: str) -> Iterator[Span]:
    for m in QUANTITY.finditer(text):
        value = parse_number(m.group(1))
        if m.group(1) in ("一", "壹") and not ONE_ITEM_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
            continue  # "一个订单", "换一个新的": a counting word, not a quantity
        if value is not None and 0 < value < 1000:
            yield "quantity", format_number(value), m.start(), m.end()
    for m in QUANTITY_EN.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        value = EN_NUMBERS.get(word) or (int(word) if word.isdigit() else None)
        if value and value > 1:
            yield "quantity", str(value), m.start(), m.end()


def _addresses(text: str) -> Iterator[Span]:
    for m in ADDRESS.finditer(text):
        start, span = m.start(), m.group(0)
        while (lead := ADDRESS_LEAD.match(span)) and ADDRESS_REGION.search(span[lead.end() :]):
            start, span = start + lead.end(), span[lead.end() :]
        region = ADDRESS_REGION.search(span)
        if region and region.start() <= 3 and len(span) >= 6:
            yield "address", span, start, start + len(span)
    for m in ADDRESS_EN.finditer(text):
        yield "address", m.group(0), m.start(), m.end()


def _attrs(text: str) -> Iterator[Span]:
    for m in SIZE.finditer(text):
        span = m.group(1) or m.group(0)
        start = m.start(1) if m.group(1) else m.start()
        value = span.upper() if span.isascii() and len(span) <= 4 else span
        yield "sku_attr", value.replace(" ", ""), start, start + len(span)
    if SIZE_TALK.search(text):
        for m in LONE_SIZE.finditer(text):
            yield "sku_attr", m.group(0), m.start(), m.end()
    for pattern in _lexicon("colours.txt"):
        for m in pattern.finditer(text):
            yield "sku_attr", m.group(0), m.start(), m.end()


def _products(text: str) -> Iterator[Span]:
    for pattern in _lexicon("products.txt"):
        for m in pattern.finditer(text):
            yield "product", m.group(0), m.start(), m.end()


FINDERS: tuple[Callable[[str], Iterator[Span]], ...] = (
    _tracking,
    _ids,
    _addresses,
    _amounts,
    _quantities,
    _attrs,
    _products,
)


def extract_entities(text: str) -> list[Entity]:
    """Entities of a message: [{type, value, text, start, end}] in text order, non-overlapping."""
    if not text:
        return []
    view = text[:MAX_ENTITY_CHARS]
    taken: list[tuple[int, int]] = []
    found: list[Entity] = []
    for rank, finder in enumerate(FINDERS):
        spans = sorted(finder(view), key=lambda s: (s[2] - s[3], s[2]))  # longest first
        for kind, value, start, end in spans:
            if start >= end or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append({"type": kind, "value": value, "text": view[start:end], "start": start, "end": end})
    found.sort(key=lambda e: int(e["start"]))  # type: ignore[call-overload]
    return found
