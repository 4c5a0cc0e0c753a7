"""The compiled patterns of the word-based entities (entity_words.py uses them): sizes and variants
(sku_attr), and the shapes of product mentions around the lexicon words: modifiers before them,
model names and accessories after them, and the contexts where a product word is no product.
"""

from __future__ import annotations

import re

# A letter size keeps the 码/号 written after it ("M码", "L 码"), as digit sizes do ("38码").
SIZE = re.compile(
    r"(?<![A-Za-z0-9])((?:[2-5]XL|XXXL|XXL|XL|XS)(?:\s?[码号])?|[SML](?:\s?[码号]|(?=\s*(?:的|size)))"
    r"|(?<=size )[SML]\b|(?<=\bin )[SML]\b|(?<=尺码)[SML]\b)(?![A-Za-z])"
    r"|(?<!\d)\d{2}(?:\.5)?\s?码|(?:加大号|大号|中号|小号|均码|加长款|标准版|高配版|顶配版|旗舰版|Pro版|Max版|mini版)"
    r"|(?<![\d.])(?:64|128|256|512)\s?(?:G|GB)(?![A-Za-z])|1\s?TB(?![A-Za-z])"
    r"|\bsize\s?\d{1,2}(?:\.5)?\b"  # size 10, as written
    r"|(?<![\d.])\d+(?:\.\d+)?(?:\s?[×xX*]\s?\d+(?:\.\d+)?){1,2}\s?(?:米|厘米|公分|cm|mm|m)(?![A-Za-z])",  # 1.8×2米
    re.IGNORECASE,
)
LETTER_SIZE = re.compile(r"([A-Za-z0-9]+)(\s?[码号]?)")
STORAGE = re.compile(r"(?<!\d)\d+\s?(?:G|GB|TB)", re.IGNORECASE)  # starts at a run's start: linear time
# A message about fit or size: a lone S, M or L in it is a size ("穿M还是L").
SIZE_TALK = re.compile(r"size|码|尺码|尺寸|号|大小|fit|穿(?!搭)|鞋", re.IGNORECASE)
LONE_SIZE = re.compile(r"(?<![A-Za-z0-9'’])[SML](?![A-Za-z0-9'’])")
# "size medium", "exchange it for a medium?": a word size after "size" or closing a request.
SIZE_WORD_EN = re.compile(
    r"\bsize\s*(?:is\s+|:\s*)?((?:x-|extra )?(?:small|medium|large))\b"
    r"|\b(?:in|for|to|get|take)\s+(?:(?:a|an|the)\s+)?((?:x-|extra )?(?:small|medium|large))\b"
    r"(?=\s*(?:[?.!,;)]|$|(?:instead|please|pls|size|one|thanks|thank|if|or|and|but)\b))",
    re.IGNORECASE,
)
SHOE_NUMBER = r"((?:3[3-9]|4[0-8])(?:\.5)?)(?![\d.]|\s*(?:码|号|块|元|天|年|次|件|个|双|度|岁|斤|kg|cm|%))"
# A shoe size as a bare number after wearing/size words ("平时穿39", "换一双40的") ...
SHOE_SIZE = re.compile(rf"(?:穿|码数|尺码|鞋码|双)\s*(?:是|为)?\s*{SHOE_NUMBER}")
# ... or after a change of size in a message about sizes ("买的38码小了 换39").
SHOE_SIZE_SWAP = re.compile(rf"(?:换成?|改成?|要)\s*{SHOE_NUMBER}")
# A feature that names a variant ("带 WiFi 的那款", "带蓝牙款"), as written.
FEATURE = re.compile(
    r"(?<!不)带\s?(?:Wi-?Fi|WIFI|wifi|蓝牙|NFC|5G|USB|Type-?C|遥控器?|摄像头|加热|烘干|定时|灯光?|轮子|盖子?)"
    r"(?=\s?(?:的|款|版|型))",
)
# A colour on a user interface ("按钮是灰色的") is not the item's colour.
UI_BEFORE = re.compile(r"(?:按钮|图标|界面|页面|选项|链接)(?:是|变成?了?|显示)?$")

# Words before a product noun that make one product with it: materials (实木餐桌), who it is for
# (儿童绘本), the sport (跑步鞋), the kind (电动, 车载) and brands (小米空气净化器, Nike 跑鞋).
PRODUCT_MODIFIERS = (
    "羊毛|羊绒|真丝|纯棉|亚麻|真皮|牛皮|羊皮|实木|不锈钢|陶瓷|玻璃|纯银|硅胶|竹"
    "|儿童|婴儿|婴幼儿|幼儿|男士|女士|男款|女款|男童|女童|成人|孕妇|学生|老年|情侣|亲子|宠物|狗狗|猫咪"
    "|跑步|慢跑|登山|徒步|户外|运动|健身|瑜伽|游泳|骑行|滑雪|露营|钓鱼|篮球|足球|网球|羽毛球|乒乓球"
    "|电动|智能|无线|便携式?|迷你|折叠|家用|车载|加热|静音"
    "|小米|华为|荣耀|苹果|三星|联想|戴尔|惠普|华硕|索尼|佳能|尼康|大疆|戴森|格力|海尔|海信|九阳|苏泊尔"
    "|飞利浦|松下|西门子|博世|小天鹅|格兰仕|科沃斯|追觅|耐克|阿迪达斯|阿迪|李宁|安踏|特步|优衣库|迪卡侬"
    "|兰蔻|雅诗兰黛|欧莱雅|资生堂|完美日记|花西子|(?:Nike|Adidas|Dyson|Apple|Xiaomi|Huawei|Sony|Philips|Uniqlo) ?"
)
# The model after a product line ("iPad Air 5", "iPhone 15 Pro Max"), kept in the mention.
MODEL_LINES = frozenset({"iphone", "ipad", "macbook", "airpods", "switch", "kindle", "galaxy"})
MODEL_SUFFIX = re.compile(
    r"(?: ?(?:Air|Pro|Max|Plus|Ultra|mini|Mini|SE|Lite|OLED|\d{1,2}(?![\d.])"
    r"(?!\s*(?:台|个|部|件|块|元|天|号|年|月|次|%|折|(?:days?|weeks?|months?|items?|pcs)\b)))(?![A-Za-z]))+"
)
# An accessory written after the product it fits makes one mention ("电动车头盔", "iPhone 壳");
# after a Latin name a space may come between.
ACCESSORY = re.compile(
    r"(?:(?<=[A-Za-z0-9]) )?(?:保护壳|保护套|保护膜|钢化膜|支架|充电器|充电线|充电头|数据线|配件|滤芯|刷头"
    r"|遥控器|头盔|座椅|座套|脚垫|收纳包|收纳袋|壳|膜|罩|套(?!餐|装|件|路))"
    r"(?![上里了着住子在])"
)
# A phone or computer used as a tool ("用手机付钱", "不太会用手机") is not what is sold.
DEVICES = frozenset({"手机", "智能手机", "电脑", "平板", "平板电脑", "笔记本", "笔记本电脑", "ipad"})
TOOL_SKILL = re.compile(r"会用$")
TOOL_DIRECT = re.compile(r"支付|付款|付钱|登录|登陆|下单|充值|转账|扫码")  # "手机支付失败"
TOOL_BEFORE = re.compile(r"(?:用|拿|通过)$")
TOOL_AFTER = re.compile(
    r"(?:付|支付|下单|登录|登陆|操作|扫|拍|申请|联系|打开|上网|买|查|看|点|充值|转账|下载|打电话|视频|发)"
)

# English product words that are also verbs: "can you switch it" is no Nintendo Switch.
EN_VERB_NOUNS = frozenset({"switch", "watch", "book", "ring", "monitor", "microwave", "vacuum"})
EN_VERB_BEFORE = re.compile(
    r"(?:\b(?:to|you|i|we|they|please|pls|can|could|will|would|should|do|don't|did|let's|lets)|'ll|’ll|'d)\s+$",
    re.IGNORECASE,
)
EN_PRONOUN_AFTER = re.compile(r"\s+(?:it|them|me|him|her|us)\b", re.IGNORECASE)
EN_OBJECT_AFTER = re.compile(r"\s+(?:it|them|me|us|my|this|that|to|over|back|from|the|a|an)\b", re.IGNORECASE)
