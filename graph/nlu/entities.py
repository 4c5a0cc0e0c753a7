"""Rule-based entity extraction with normalisers (the DST slots of taxonomy.yaml).

Rules are precise on the formats that matter to actions (order ids, tracking numbers, phones,
amounts, quantities) and cheap enough to run on every message: every pattern is compiled once and
each finder is a handful of regex scans. Each finder yields candidate spans; overlaps are resolved
by finder priority, then by length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from graph.nlu.numerals import (
    CN_DIGIT_CHARS,
    CN_NUM_CHARS,
    CN_SCALED_PATTERN,
    NUMBER_PATTERN,
    format_number,
    parse_number,
)

Entity = dict[str, object]
LEXICON_DIR = Path(__file__).parent / "lexicon"
# Entities are looked for in this prefix of a message only (offsets stay valid), to bound latency;
# it matches the service's default message cap (settings.max_message_chars).
MAX_ENTITY_CHARS = 2000

CLASSIFIERS = "件|个|双|条|台|瓶|盒|包|箱|袋|只|支|套|份|本|张|副|桶|罐|根|把|片|对|顶|部|块"
# Classifiers that count even after a space ("199 件"); 只/把/对... after a space are other words ("只收到").
SPACED_CLASSIFIERS = "件|个|双|台|瓶|盒|箱|袋|套|份|块|张"
# What may follow a number that is a count, a time or a measure rather than money or part of an id.
NOT_AN_AMOUNT_AFTER = (
    rf"(?![\d.%{CN_NUM_CHARS}]|(?!包邮)(?:{CLASSIFIERS})|\s*(?:{SPACED_CLASSIFIERS}"
    r"|天|号|点|次|单|折|元|小时|分钟|年|月|周|斤|码|多|来|几|余|岁|分|人|倍|度|米|G|cm|mm|kg|ml|w))"
)
# A group of a spaced id ("4509 8821 3376"); a group that a unit follows is an amount or a count.
ID_GROUP_END = rf"(?!\d|\s*(?:{SPACED_CLASSIFIERS}|元|天|号|点|次|小时|分钟|年|月|斤|码|%|(?i:yuan|rmb|days?|pcs|items?)\b))"

CARRIERS = "SF|JD[A-Z]{0,3}|YTO|YT|ZTO|STO|YD|YUNDA|EMS|DPK|DBL|JT|HTKY|ZJS|KYE|UC|TT|BEST"
TRACKING_PREFIXED = re.compile(
    rf"(?<![A-Za-z0-9])((?:{CARRIERS})[ \-]?\d{{3,18}}(?:[ \-]\d{{1,6}}{ID_GROUP_END})*"
    r"|[A-Z]{2}\d{9}[A-Z]{2})(?![0-9])",
    re.IGNORECASE,
)
TRACKING_CONTEXT = re.compile(
    r"(?:快递单号|运单号|物流单号|快递号|单号是快递|tracking\s*(?:number|no\.?|#)|waybill)"
    r"\s*(?:是|为|:|：|is)?\s*(\d{8,20})(?!\d)",
    re.IGNORECASE,
)
PHONE = re.compile(r"(?<![\d])(?:\+?86[ \-]?)?(1[3-9]\d(?:[ \-]?\d{4}){2})(?!\d)")
DIGIT_RUN = re.compile(r"(?<![\d.])(\d{8,20})(?!\d|\.\d|[A-Za-z@])")
DIGIT_GROUPS = re.compile(
    rf"(?<![\d.A-Za-z])(\d{{3,6}}(?:[ \-]\d{{3,6}}{ID_GROUP_END})+)(?![.,]\d|[A-Za-z@])"
)
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
# The tenths after 块 ("两块五", "九块九包邮"); a count or time after them ("两块五次") means it is not one.
JIAO = re.compile(rf"([{CN_DIGIT_CHARS}1-9])(毛|角)?")
COUNT_AFTER = re.compile(rf"\s*(?!包邮)(?:{CLASSIFIERS}|次|天|周|年|月|斤|米|人|\d)")
AMOUNT_CUE = (
    r"(?:降了|降价了|便宜了|差价|多扣了|扣了|扣款|付了|花了|少退了|退了|补了|满|减|优惠了|涨了|价格是|卖|低了|贵了"
    r"|便宜|凑单到|凑到|买的|原价|现价|售价|到手价|[定订]金是?|尾款是?|差|各"
    r"|(?i:drop(?:ped)?(?: by|了)?|(?:went|gone|go|come|came) down by|reduced by|cheaper by|off))"
)
AMOUNT_CONTEXT = re.compile(rf"{AMOUNT_CUE}\s*(\d+(?:\.\d+)?|{CN_SCALED_PATTERN}){NOT_AN_AMOUNT_AFTER}")
# Hundreds and thousands in Chinese numerals are prices even without a unit ("两百八什么时候退"),
# unless they are a body weight or height ("体重一百一").
CN_HUNDREDS = re.compile(
    rf"(?<![第\d{CN_NUM_CHARS}])(?<!体重)(?<!重)(?<!身高)"
    rf"((?>[{CN_DIGIT_CHARS}][百佰千仟][{CN_NUM_CHARS}]*)){NOT_AN_AMOUNT_AFTER}"
)
# "这个 199 的面膜": a price naming the item (three digits or more, so shoe sizes stay out).
PRICE_NAMING = re.compile(r"(?:这|那)(?:个|款|件|双|条|套)\s*(\d{3,5}(?:\.\d+)?)\s*(?=的)")

QUANTITY = re.compile(
    rf"(?<![第\d.{CN_NUM_CHARS}])((?:\d{{1,3}})|[{CN_NUM_CHARS}]{{1,4}})\s*(?:{CLASSIFIERS})"
    r"(?!月(?!饼)|(?<=部)分|(?<=包)邮|小时|钟头|星期|礼拜|工作日|人|多月|半月|钱|手表|表|套|凭证|装|子|账号|帐号"
    r"|账户|订单|问题|码|发票|收据|截图|照片|图片|视频|电话|链接|地址|快递|单号|运费|邮费|理由|原因|办法|方法)"
)
# "一件" is a count after these verbs (少发了一件); otherwise mostly an article (一个订单).
ONE_ITEM_BEFORE = re.compile(r"(?:少了|少发了?|漏发了?|多发了?|只收到了?|只到了|买了|拍了|只买了)$")
# After 加/换/退/要 it counts too, unless the word is 个 (换一个新的 reads as "a new one").
ONE_ITEM_VERB = re.compile(r"(?:加|换|换成|退|退掉|要|补|补发)$")
# ... and before what happens to that one item ("一条退掉", "一件坏了").
ONE_ITEM_AFTER = re.compile(r"(?:要退|退|换|不要|坏了|坏掉|碎了|破了|破损|没到|没收到|没发)")
EN_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
EN_NUMBERS = {w: i for i, w in enumerate(EN_NUMBER_WORDS)}
QUANTITY_EN = re.compile(
    r"\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:pieces|piece|pcs|items|item|pairs|pair|units|unit|bottles|boxes|box|sets|set|packs)\b"
    r"|(?<![\d.])(?<![\d.] )[x×]\s?(\d{1,3})\b",
    re.IGNORECASE,
)
# "quantity to 3 instead of 1", "only got 1".
QUANTITY_EN_CONTEXT = re.compile(
    r"\b(?:quantity|qty)\s*(?:to|of|is|from|:|=)?\s*(\d{1,3})\b"
    r"(?:\s*(?:instead of|rather than|from|not)\s+(\d{1,3})\b)?"
    r"|\bonly (?:got|received|get|have|came with|arrived with)\s+(\d{1,3})\b"
    r"(?![\s\-]*(?:days?|hours?|weeks?|%|percent|yuan|dollars?|bucks|stars?)\b)",
    re.IGNORECASE,
)
# A number before a product noun ("2 lamps", "3 office chairs"): the noun is checked with the lexicon.
# A number word counts only after a verb of ordering ("the two backpacks" compares, it does not count).
COUNT_EN = re.compile(
    r"(?:\b(ordered|bought|buy|purchased|want|need|got|received|return|returned|returning|add|send|sent)\s+)?"
    rf"(?<!size )(?<!model )(?<!no\. )\b(\d{{1,3}}|{'|'.join(EN_NUMBER_WORDS[2:])})\s+(?=[A-Za-z])",
    re.IGNORECASE,
)
EN_WORD = re.compile(r"[A-Za-z\-]+\s+")

SIZE = re.compile(
    r"(?<![A-Za-z0-9])((?:[2-5]XL|XXXL|XXL|XL|XS)|[SML](?=\s*(?:码|号|的|size))"
    r"|(?<=size )[SML]\b|(?<=\bin )[SML]\b|(?<=尺码)[SML]\b)(?![A-Za-z])"
    r"|(?<!\d)\d{2}(?:\.5)?\s?码|(?:加大号|大号|中号|小号|均码|加长款|标准版|高配版|顶配版|旗舰版|Pro版|Max版|mini版)"
    r"|(?<![\d.])(?:64|128|256|512)\s?(?:G|GB)(?![A-Za-z])|1\s?TB(?![A-Za-z])"
    r"|\bsize\s?\d{1,2}(?:\.5)?\b"  # size 10, as written
    r"|(?<![\d.])\d+(?:\.\d+)?(?:\s?[×xX*]\s?\d+(?:\.\d+)?){1,2}\s?(?:米|厘米|公分|cm|mm|m)(?![A-Za-z])",  # 1.8×2米
    re.IGNORECASE,
)
STORAGE = re.compile(r"\d+\s?(?:G|GB|TB)", re.IGNORECASE)
SIZE_TALK = re.compile(r"size|码|尺码|尺寸|号|大小|fit", re.IGNORECASE)
LONE_SIZE = re.compile(r"(?<![A-Za-z0-9'’])[SML](?![A-Za-z0-9'’])")
# "size medium", "exchange it for a medium?": a word size after "size" or closing a request.
SIZE_WORD_EN = re.compile(
    r"\bsize\s*(?:is\s+|:\s*)?((?:x-|extra )?(?:small|medium|large))\b"
    r"|\b(?:in|for|to|get|take)\s+(?:(?:a|an|the)\s+)?((?:x-|extra )?(?:small|medium|large))\b"
    r"(?=\s*(?:[?.!,;)]|$|(?:instead|please|pls|size|one|thanks|thank|if|or|and|but)\b))",
    re.IGNORECASE,
)
# A shoe size as a bare number after wearing/size words ("平时穿39", "换一双40的").
SHOE_SIZE = re.compile(
    r"(?:穿|码数|尺码|鞋码|双)\s*(?:是|为)?\s*((?:3[3-9]|4[0-8])(?:\.5)?)"
    r"(?![\d.]|\s*(?:码|号|块|元|天|年|次|件|个|双|度|岁|斤|kg|cm|%))"
)
# A colour on a user interface ("按钮是灰色的") is not the item's colour.
UI_BEFORE = re.compile(r"(?:按钮|图标|界面|页面|选项|链接)(?:是|变成?了?|显示)?$")

ADDRESS = re.compile(
    r"(?:[\u4e00-\u9fa5]{2,6}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{2,5}?市)?(?:[\u4e00-\u9fa5]{1,5}?(?:区|县))?"
    r"[\u4e00-\u9fa5]{1,12}?(?:路|街|大道|巷|村|镇)(?!由)\s?[\dA-Za-z零一二三四五六七八九十百\-]*"
    r"(?:号(?:院|楼)?)?(?:[\u4e00-\u9fa5\dA-Za-z\-]{0,14}?(?:号楼|栋|幢|单元|室|楼|小区|大厦|公寓|花园|号))*"
)
# A city and district without a road: whole when a building follows, else only as a destination.
ADDRESS_DISTRICT = re.compile(
    r"(?:[\u4e00-\u9fa5]{2,6}?(?:省|自治区))?[\u4e00-\u9fa5]{2,4}?市[\u4e00-\u9fa5]{1,4}?(?:区|县)"
    r"((?:[\u4e00-\u9fa5]{0,10}?[\dA-Za-z\-]+(?:号楼|栋|幢|单元|室|号))*)"
)
# Building, unit and room without a street ("门牌号是12栋2单元301"), after a word that introduces one.
ADDRESS_UNIT = re.compile(
    r"(?:门牌号?|地址|住在?|房间号?|楼号|寄到|送到|发到|放到|改成|改为)[^\d]{0,10}?"
    r"(\d{1,3}(?:栋|幢|号楼|座)(?:\d{1,2}单元\d{2,5}|\d{1,2}单元|\d{2,5})(?:室|号)?)"
)
ADDRESS_REGION = re.compile(r"[\u4e00-\u9fa5]{2}(?:省|市|区|县)")
ADDRESS_LEAD = re.compile(
    r"^.*?(?:地址改成|地址改为|地址是|收货地址|改成|改为|改到|更新成|更新为|寄到|送到|发到|换成|地址|住在|的是|一下|一哈"
    r"|是|在|到)"
)
DESTINATION_CUE = re.compile(r"(?:寄到|送到|发到|寄往|发往|改到|改成|改为|地址是|地址|住在)\s*$")
ADDRESS_EN = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd)\b\.?"
    r"(?:,\s*(?!Thanks|Thank|Please|Sorry|But|And|Can|Could|Is|It)[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?"
)

# Materials that make a compound product noun with the word after them (羊毛大衣, 实木餐桌).
PRODUCT_MATERIALS = "羊毛|羊绒|真丝|纯棉|亚麻|真皮|牛皮|羊皮|实木|不锈钢|陶瓷|玻璃|纯银|硅胶|竹"
# English product words that are also verbs: "can you switch it" is no Nintendo Switch.
EN_VERB_NOUNS = frozenset({"switch", "watch", "book", "ring", "monitor", "microwave", "vacuum"})
EN_VERB_BEFORE = re.compile(
    r"(?:\b(?:to|you|i|we|they|please|pls|can|could|will|would|should|do|don't|did|let's|lets)|'ll|’ll|'d)\s+$",
    re.IGNORECASE,
)
EN_PRONOUN_AFTER = re.compile(r"\s+(?:it|them|me|him|her|us)\b", re.IGNORECASE)
EN_OBJECT_AFTER = re.compile(r"\s+(?:it|them|me|us|my|this|that|to|over|back|from|the|a|an)\b", re.IGNORECASE)


@cache
def _lexicon(name: str, prefix: str = "") -> tuple[re.Pattern[str], frozenset[str]]:
    """One pattern for a word list (Chinese words anywhere, optionally after a modifier; Latin
    words on word boundaries, plural -s/-es accepted) and its stop phrases: lines starting with "!"
    are matched so that they hide the words inside them (火锅 hides 锅) but are never reported."""
    lines = [
        w.strip()
        for w in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    ]
    stops = frozenset(w[1:].lower() for w in lines if w.startswith("!"))
    words = sorted({w.lstrip("!") for w in lines}, key=len, reverse=True)
    cjk = "|".join(re.escape(w) for w in words if not w.isascii())
    latin = "|".join(re.escape(w) for w in words if w.isascii())
    lead = f"(?:{prefix})?" if prefix else ""
    pattern = re.compile(
        rf"{lead}(?:{cjk})(?!号|尾号|卡|套餐|端|版本|系统|上|里|店|铺)"
        rf"|(?<![A-Za-z])(?:{latin})(?:e?s)?(?![A-Za-z\-]| Friday| number| no\b)",
        re.IGNORECASE,
    )
    return pattern, stops


Span = tuple[str, str, int, int]  # type, value, start, end


def _is_stop(word: str, stops: frozenset[str]) -> bool:
    """Whether a lexicon match is a stop phrase, in the singular or plural ("TV shows")."""
    word = word.lower()
    if word in stops:
        return True
    return word.isascii() and word.endswith("s") and (word[:-1] in stops or word[:-2] in stops)


def _tracking(text: str) -> Iterator[Span]:
    for m in TRACKING_PREFIXED.finditer(text):
        value = re.sub(r"[ \-]", "", m.group(1)).upper()
        if 8 <= sum(c.isdigit() for c in value) <= 18 or value[-1].isalpha():
            yield "tracking_no", value, m.start(1), m.end(1)
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
    for pattern in (DIGIT_RUN, DIGIT_GROUPS):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 12) : m.start()]
            digits = re.sub(r"\D", "", m.group(1))
            if PARTIAL_BEFORE.search(before) or (
                before[-1:].isascii() and before[-1:].isalpha() and not LETTER_LEAD_OK.search(before)
            ):
                continue
            # "1500 2000" is two prices: a spaced id has three groups or ten digits
            if pattern is DIGIT_GROUPS and not (
                10 <= len(digits) <= 20
                or (len(digits) >= 8 and m.group(1).count(" ") + m.group(1).count("-") >= 2)
            ):
                continue
            if not PHONE.fullmatch(m.group(1)):
                yield "order_id", digits, m.start(1), m.end(1)


def _amounts(text: str) -> Iterator[Span]:
    for m in AMOUNT_UNIT.finditer(text):
        value = parse_number(m.group(1) or m.group(2))
        end = m.end()
        jiao = JIAO.match(text, end)
        if (
            value is not None
            and jiao
            and (jiao.group(2) or (m.group(3) == "块" and not COUNT_AFTER.match(text, jiao.end())))
        ):
            value += (parse_number(jiao.group(1)) or 0) / 10  # 两块五 = 2.5, 九块九 = 9.9
            end = jiao.end()
        if value is not None:
            yield "amount", format_number(value), m.start(), end
    for pattern in (AMOUNT_CONTEXT, CN_HUNDREDS, PRICE_NAMING):
        for m in pattern.finditer(text):
            value = parse_number(m.group(1))
            if value is not None:
                yield "amount", format_number(value), m.start(1), m.end(1)


def _quantities(text: str) -> Iterator[Span]:
    for m in QUANTITY.finditer(text):
        value = parse_number(m.group(1))
        if m.group(1) in ("一", "壹") and not _counts_one(text, m):
            continue  # "一个订单", "换一个新的": a counting word, not a quantity
        if value is not None and 0 < value < 1000:
            yield "quantity", format_number(value), m.start(), m.end()
    for m in QUANTITY_EN.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        value = EN_NUMBERS.get(word) or (int(word) if word.isdigit() else None)
        if value and value > 1:
            yield "quantity", str(value), m.start(), m.end()
    for m in QUANTITY_EN_CONTEXT.finditer(text):
        for group in (1, 2, 3):
            if m.group(group) and int(m.group(group)) > 0:
                yield "quantity", str(int(m.group(group))), m.start(group), m.end(group)
    products, _ = _lexicon("products.txt", PRODUCT_MATERIALS)
    for m in COUNT_EN.finditer(text):
        word = m.group(2).lower()
        value = int(word) if word.isdigit() else EN_NUMBERS[word] if m.group(1) else 0
        adjective = EN_WORD.match(text, m.end())
        if value and (products.match(text, m.end()) or (adjective and products.match(text, adjective.end()))):
            yield "quantity", str(value), m.start(2), m.end(2)


def _counts_one(text: str, m: re.Match[str]) -> bool:
    """Whether 一 + classifier is a count (少发了一件, 再加一件, 一条退掉) rather than an article;
    after 加/换/退/要 only a classifier of goods counts, not 个 or 张 (换一个新的, 要一张发票)."""
    before = text[max(0, m.start() - 4) : m.start()]
    if ONE_ITEM_BEFORE.search(before):
        return True
    if m.group(0).endswith(("个", "张")):  # 另一个没到, 要一张发票: an article, a document
        return False
    return bool(ONE_ITEM_VERB.search(before) or ONE_ITEM_AFTER.match(text, m.end()))


def _addresses(text: str) -> Iterator[Span]:
    for m in ADDRESS.finditer(text):
        start, span = _strip_lead(m.start(), m.group(0))
        region = ADDRESS_REGION.search(span)
        if region and region.start() <= 3 and len(span) >= 6:
            yield "address", span, start, start + len(span)
    for m in ADDRESS_DISTRICT.finditer(text):
        start, span = _strip_lead(m.start(), m.group(0))
        before = text[max(0, m.start() - 6) : m.start()] + text[m.start() : start]
        if ADDRESS_REGION.match(span) and (m.group(1) or DESTINATION_CUE.search(before)):
            yield "address", span, start, m.end()
    for m in ADDRESS_UNIT.finditer(text):
        yield "address", m.group(1), m.start(1), m.end(1)
    for m in ADDRESS_EN.finditer(text):
        yield "address", m.group(0), m.start(), m.end()


def _strip_lead(start: int, span: str) -> tuple[int, str]:
    """The span without the words before the address ("地址改成", "寄到")."""
    while (lead := ADDRESS_LEAD.match(span)) and ADDRESS_REGION.search(span[lead.end() :]):
        start, span = start + lead.end(), span[lead.end() :]
    return start, span


def _attrs(text: str) -> Iterator[Span]:
    for m in SIZE.finditer(text):
        span = m.group(1) or m.group(0)
        start = m.start(1) if m.group(1) else m.start()
        yield "sku_attr", _size_value(span), start, start + len(span)
    for pattern in (SIZE_WORD_EN, SHOE_SIZE):
        for m in pattern.finditer(text):
            group = 1 if m.group(1) else 2
            yield "sku_attr", m.group(group), m.start(group), m.end(group)
    if SIZE_TALK.search(text):
        for m in LONE_SIZE.finditer(text):
            yield "sku_attr", m.group(0), m.start(), m.end()
    pattern, stops = _lexicon("colours.txt")
    for m in _lexicon_matches(pattern, stops, text):
        if not UI_BEFORE.search(text[max(0, m.start() - 6) : m.start()]):
            yield "sku_attr", m.group(0), m.start(), m.end()


def _size_value(span: str) -> str:
    """Letter sizes upper-cased (xl -> XL), storage without spaces (256 G -> 256G), others as written."""
    if STORAGE.fullmatch(span):
        return span.replace(" ", "").upper()
    return span.upper() if span.isascii() and len(span) <= 4 else span


def _products(text: str) -> Iterator[Span]:
    pattern, stops = _lexicon("products.txt", PRODUCT_MATERIALS)
    for m in _lexicon_matches(pattern, stops, text):
        word = m.group(0)
        if not (word.lower() in EN_VERB_NOUNS and _verb_use(text, m)):
            yield "product", word, m.start(), m.end()


def _lexicon_matches(pattern: re.Pattern[str], stops: frozenset[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of a word list that are not stop phrases. A stop phrase hides the words inside it,
    not one that starts inside it and runs past its end (看书桌: 书桌 is still found)."""
    for m in pattern.finditer(text):
        if not _is_stop(m.group(0), stops):
            yield m
            continue
        for pos in range(m.start() + 1, m.end()):
            crossing = pattern.match(text, pos)
            if crossing and crossing.end() > m.end() and not _is_stop(crossing.group(0), stops):
                yield crossing
                break


def _verb_use(text: str, m: re.Match[str]) -> bool:
    """Whether an English product word that is also a verb is used as one ("can you switch it")."""
    before = text[max(0, m.start() - 12) : m.start()]
    sentence_start = not before.strip() or before.rstrip()[-1] in ".!?。！？，,"
    if EN_VERB_BEFORE.search(before) or EN_PRONOUN_AFTER.match(text, m.end()):
        return True
    return sentence_start and bool(EN_OBJECT_AFTER.match(text, m.end()))


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
    for finder in FINDERS:
        spans = sorted(finder(view), key=lambda s: (s[2] - s[3], s[2]))  # longest first
        for kind, value, start, end in spans:
            if start >= end or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append({"type": kind, "value": value, "text": view[start:end], "start": start, "end": end})
    found.sort(key=lambda e: int(e["start"]))  # type: ignore[call-overload]
    return found
