"""The compiled patterns of rule-based entity extraction (entities.py holds the finders that use
them): classifiers, carriers and id shapes, money and count contexts, and addresses. Sizes, variants
and product shapes are in word_patterns.py.
"""

from __future__ import annotations

import re

from graph.nlu.numerals import CN_DIGIT_CHARS, CN_NUM_CHARS, CN_SCALED_PATTERN, NUMBER_PATTERN

CLASSIFIERS = "件|个|双|条|台|瓶|盒|包|箱|袋|只|支|套|份|本|张|副|桶|罐|根|把|片|对|顶|部|块"
# Classifiers that count even after a space ("199 件"); 只/把/对... after a space are other words ("只收到").
SPACED_CLASSIFIERS = "件|个|双|台|瓶|盒|箱|袋|套|份|块|张"
# What may follow a number that is a count, a time or a measure rather than money or part of an id.
NOT_AN_AMOUNT_AFTER = (
    rf"(?![\d.%:：{CN_NUM_CHARS}]|(?!包邮)(?:{CLASSIFIERS})|\s*(?:{SPACED_CLASSIFIERS}"
    r"|天|号|点|次|单|折|元|小时|分钟|年|月|周|斤|码|多|来|几|余|岁|分|人|倍|度|米|G|cm|mm|kg|ml|w))"
)
# A group of a spaced id ("4509 8821 3376"); a group that a unit follows is an amount or a count.
ID_GROUP_END = (rf"(?!\d|\s*(?:{SPACED_CLASSIFIERS}|元|天|号|点|次|小时|分钟|年|月|斤|码|%"
                r"|(?i:yuan|rmb|days?|pcs|items?)\b))")

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
# A tax, bank-card, id-card or invoice number is no order id ("税号9131...").
OTHER_NUMBER_BEFORE = re.compile(
    r"(?:税号|识别号|信用代码|身份证(?:号码|号)?|证件号码?|银行卡(?:号码|号)?|卡号码?|账号|QQ号?|微信号?|工号|学号"
    r"|发票号码?|发票代码"
    r"|tax (?:id|number)|VAT (?:no\.?|number))\s*(?:是|为|:|：)?\s*$",
    re.IGNORECASE,
)
ORDER_CONTEXT = re.compile(
    r"(?:订单|单号|order)\s*(?:号|编号|no\.?|number|#|id)?\s*(?:是|为|:|：)?\s*$", re.IGNORECASE
)

# The number starts where its run of digits or numerals starts, so a long digit run costs linear time.
AMOUNT_UNIT = re.compile(
    rf"(?:[¥￥]|RMB ?|\$)\s*(\d+(?:\.\d+)?)|(?<![\d.{CN_NUM_CHARS}])({NUMBER_PATTERN})"
    r"\s*(元|块钱|块|rmb|RMB|yuan|bucks|刀)(?!手表|表|布|肥皂|屏)"
)
# The tenths after 块 ("两块五", "九块九包邮"); a count or time after them ("两块五次") means it is not one.
JIAO = re.compile(rf"([{CN_DIGIT_CHARS}1-9])(毛|角)?")
COUNT_AFTER = re.compile(rf"\s*(?!包邮)(?:{CLASSIFIERS}|次|天|周|年|月|斤|米|人|\d)")
AMOUNT_CUE = (
    r"(?:降了|降价了|便宜了|差价|多扣了|扣了|扣款|付了|花了|少退了|退了|补了|满|减|优惠了|涨了|价格是|卖|低了|贵了"
    r"|便宜|凑单到|凑到|原价|现价|售价|到手价|[定订]金是?|尾款是?|差的|差|各|实付了?|划走了?|扣走了?|多付了?|支付了?"
    # a price then and now ("我买的时候599现在499")
    r"|买的时候|买的|(?:当时|之前|以前|原来)(?:是|卖|要)?|现在(?:是|卖|只要|要)?"
    r"|(?i:drop(?:ped)?(?: by|了)?|(?:went|gone|go|come|came) down by|reduced by|cheaper by|off))"
)
AMOUNT_CONTEXT = re.compile(rf"{AMOUNT_CUE}\s*(\d+(?:\.\d+)?|{CN_SCALED_PATTERN}){NOT_AN_AMOUNT_AFTER}")
# English money words before a bare number ("I paid 1299", "now it's 1099", "refund of 59.9").
AMOUNT_CONTEXT_EN = re.compile(
    r"\b(?:paid|pay|charged|refund(?:ed)? of|refunded|costs?|priced at|price is|now it'?s|now it is|it'?s now|now|was)"
    r"\s+(?:RMB\s?|¥|￥|\$)?(\d{1,6}(?:\.\d{1,2})?)"
    r"(?![\d.,]\d|[A-Za-z]|\s*(?:%|percent|days?|hours?|hrs?|weeks?|months?|years?|times|items?|pieces?|pcs|units?"
    r"|pairs?|stars?|minutes?|mins?|people|orders?|hundred|thousand|[:/])(?![A-Za-z]))",
    re.IGNORECASE,
)
# A decimal with one or two places in a message about money is an amount ("那85.5什么时候到账").
MONEY_TALK = re.compile(
    r"钱(?!包)|价|退|到账|付款|支付|扣款|金额|[元块¥￥$]|refund|paid|price|charge|cost|money", re.IGNORECASE
)
MONEY_DECIMAL = re.compile(
    rf"(?<![\d.A-Za-z])(?<!版本)(?<!蓝牙)(?<!体重)(?<!身高)(\d{{1,6}}\.\d{{1,2}}){NOT_AN_AMOUNT_AFTER}"
    r"(?!\s*(?:寸|英寸|升|克|g\b|L\b|[A-Za-z]))"
)
# Hundreds and thousands in Chinese numerals are prices even without a unit ("两百八什么时候退"),
# unless they are a body weight or height ("体重一百一").
CN_HUNDREDS = re.compile(
    rf"(?<![第\d{CN_NUM_CHARS}])(?<!体重)(?<!重)(?<!身高)"
    rf"((?>[{CN_DIGIT_CHARS}][百佰千仟][{CN_NUM_CHARS}]*)){NOT_AN_AMOUNT_AFTER}"
)
# "这个 199 的面膜": a price naming the item (three digits or more, so shoe sizes stay out).
PRICE_NAMING = re.compile(rf"(?:这|那)(?:{CLASSIFIERS}|款)\s*(\d{{3,5}}(?:\.\d+)?)\s*(?=的)")

QUANTITY = re.compile(
    rf"(?<![第\d.{CN_NUM_CHARS}])((?:\d{{1,3}})|[{CN_NUM_CHARS}]{{1,4}})\s*(?:{CLASSIFIERS})"
    r"(?!月(?!饼)|(?<=部)分|(?<=包)邮|小时|钟头|星期|礼拜|工作日|人|多月|半月|钱|手表|表|套|凭证|装|子|账号|帐号"
    r"|账户|订单|问题|码|发票|收据|截图|照片|图片|视频|电话|链接|地址|快递|单号|运费|邮费|理由|原因|办法|方法)"
)
# "一件" is a count after these verbs (少发了一件); otherwise mostly an article (一个订单).
ONE_ITEM_BEFORE = re.compile(r"(?:少了|少发了?|漏发了?|多发了?|只收到了?|只到了|买了|拍了|只买了)$")
# After 加/换/退/要/送 it counts too, unless the word is 个 (换一个新的 reads as "a new one").
ONE_ITEM_VERB = re.compile(r"(?:加|换|换成|退|退掉|要|补|补发|送)$")
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

# An optional province or autonomous region that leads an address.
PROVINCE = r"(?:[\u4e00-\u9fa5]{2,6}?(?:省|自治区))?"
ADDRESS = re.compile(
    PROVINCE + r"(?:[\u4e00-\u9fa5]{2,5}?市)?(?:[\u4e00-\u9fa5]{1,5}?(?:区|县))?"
    r"[\u4e00-\u9fa5]{1,12}?(?:路|街道|街|大道|巷|村|镇)(?!由)\s?[\dA-Za-z零一二三四五六七八九十百\-]*"
    r"(?:号(?:院|楼)?)?(?:[\u4e00-\u9fa5\dA-Za-z\-]{0,14}?(?:号楼|栋|幢|单元|室|楼|小区|大厦|公寓|花园|号))*"
)
# A city and district without a road: whole when a building follows, else only as a destination.
ADDRESS_DISTRICT = re.compile(
    PROVINCE + r"[\u4e00-\u9fa5]{2,4}?市[\u4e00-\u9fa5]{1,4}?(?:区|县)"
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
    r"|是|在|到|成(?=(?:(?![省市])[\u4e00-\u9fa5]){2,4}(?:省|市|自治区)))"  # "update 成成都市…": 成 is the verb's
)
DESTINATION_CUE = re.compile(r"(?:寄到|送到|发到|寄往|发往|改到|改成|改为|地址是|地址|住在)\s*$")
ADDRESS_EN = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd)\b\.?"
    r"(?:,\s*(?!Thanks|Thank|Please|Sorry|But|And|Can|Could|Is|It)[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?"
)
