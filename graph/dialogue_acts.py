"""Dialogue acts of a short reply: confirming or declining a proposal, correcting, complaining it did not help.

Word lists are data; matching is on the normalised message.
"""

from __future__ import annotations

import re

CONFIRM = {
    "确认", "确定", "是的", "是", "对", "对的", "好", "好的", "可以", "行", "没问题", "嗯", "嗯嗯", "同意",
    "确认取消", "确认修改", "确认申请", "确认退货", "确认换货", "提交", "办吧", "就这样", "ok", "okay", "yes",
    "yep", "sure", "confirm", "confirmed", "conifrm", "confrim", "comfirm", "cofirm", "confirn", "go ahead",
    "yes please", "do it", "是的确认", "确认无误", "好的确认",
}
DENY = {
    "不", "不要", "不用", "不用了", "算了", "先不", "先不用", "不是", "不对", "不了", "再想想", "等等",
    "no", "nope", "not now", "don't", "dont", "cancel that", "never mind", "nevermind", "不确认", "放弃",
}
DISSATISFIED = re.compile(
    r"没用|没有用|还是不行|不行啊|没解决|解决不了|答非所问|听不懂|说了等于没说|废话|机器人|你在说什么|"
    r"not helpful|useless|doesn'?t help|didn'?t help|not what i asked",
    re.I,
)
CORRECTION = re.compile(r"^(不是|不对|错了|搞错|弄错)|不是这个|是另一个|不对是|\bnot that\b|\bi meant\b", re.I)
ORDER_SUFFIX = re.compile(r"(?:尾号|末尾|后四位|最后四位|ending (?:in|with))\s*(\d{3,6})", re.I)

_VENTING = re.compile(
    r"[^，,。！!？?；;]*(?:投诉|差评|破服务|什么服务|气死|太差|垃圾|12315|再不处理|什么玩意|坑人|骗子|无语)[^，,。！!？?；;]*",
)


def without_venting(text: str) -> str:
    """The message with its venting clauses ("什么破服务", "再不处理我就投诉") removed."""
    return _VENTING.sub(" ", text).strip(" ，,。！!？?；;")


_TRIM = re.compile(r"[\s,.!?，。！？~、…]+")


def _core(text: str) -> str:
    return _TRIM.sub(" ", text.lower()).strip()


_CONFIRM_WORD = re.compile(
    r"确认|确定|同意|提交|没问题|可以|好的|好滴|好啊|行吧|办吧|就这样|是的|对的|嗯+|"
    r"\b(?:ok|okay|yes|yep|yeah|sure|confirm(?:ed)?|go ahead|do it)\b",
    re.I,
)
_DENY_WORD = re.compile(
    r"不用|算了|不要|先不|不确认|不同意|不可以|不行|不是的|不对|别办|放弃|再想想|等一下|等等|"
    r"(?<!为什么)(?<!为啥)(?<!怎么)(?:就|还是|先)?不(?:想)?(?:退|换|取消|改|修改|申请|退货|退款|换货)了|"  # withdrawn
    r"先?别(?:退|换|取消|改|办|申请)|"
    r"\b(?:i'?ll keep it|keep the order)\b|"
    r"\bnot ok\b|\bdo not\b|\b(?:no|nope|don'?t|not now|never ?mind|cancel that)\b",
    re.I,
)
_ORDINAL = re.compile(r"第\s*([一二三四五12345])\s*[个笔单条]|\b(first|second|third|fourth|fifth)\b|^([1-5])$|"
                      r"(?:\bnumber|\bno\.?|#)\s*([1-5])\b|\b([1-5])(?:st|nd|rd|th)\b", re.I)
_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "first": 1, "second": 2, "third": 3, "fourth": 4,
             "fifth": 5}


_NEGATION = re.compile(r"不|没|别|未|\bnot\b|n't|\bnever\b|\bno\b", re.I)
_NOT_CONFIRM = re.compile(r"确认一?下|吗|[?？]|\bcan i\b|\bis it\b", re.I)


def is_confirm(text: str) -> bool:
    """A short yes to a pending proposal ("是的，确认", "ok确认", "yes, confirm pls"), with no "no" in it."""
    text = without_venting(text) if _VENTING.search(text) else text
    core = _core(text)
    if _NOT_CONFIRM.search(text):
        return False
    if core in CONFIRM:
        return True
    first = re.split(r"[，,;；]", text, maxsplit=1)[0]
    if first != text and _core(first) in CONFIRM and not _DENY_WORD.search(text):
        return True  # "确认，别让我多花钱啊": a clean yes first, no question after it
    if _NEGATION.search(core.replace("没问题", "")) or len(core) > 24:
        return False
    return bool(_CONFIRM_WORD.search(core)) and not is_deny(text)


_EXPLICIT_CONFIRM = re.compile(r"确认|确定|提交|办吧|同意|\b(?:confirm(?:ed)?|go ahead|do it)\b", re.I)


def is_explicit_confirm(text: str) -> bool:
    """A yes that confirms an operation ("确认", "提交", "confirm"), not one that only acknowledges ("嗯", "好的")."""
    return bool(_EXPLICIT_CONFIRM.search(text))


def is_deny(text: str) -> bool:
    core = _core(text)
    if core in DENY:
        return True
    return len(core) <= 24 and bool(_DENY_WORD.search(core))


_GENERAL = re.compile(
    r"多久|几天|多长时间|多少天|怎么算|规则|政策|规定|流程|标准|一般|跟订单无关|跟定单无关|和订单无关|与订单无关|不是具体订单|吗[?？]?$|[?？]$|"
    r"\bhow (?:long|many|much|do|does|can)\b|\bpolicy\b|\brules?\b|\bin general\b",
    re.I,
)
_PERSONAL = re.compile(
    r"我的|帮我|给我|替我|我要|我想|我.{0,4}(?:买|下单|付款|收到|签收)|申请|办理|订单号|这单|这个订单|那个订单|"
    r"\bmy\b|\bme\b|\bi want\b|\bi'?d like\b",
    re.I,
)


def is_general_question(text: str) -> bool:
    """A question about the rules ("退款到支付宝要多久") rather than a request about one's own order."""
    return bool(_GENERAL.search(text)) and not _PERSONAL.search(text)


_ASKS = re.compile(
    r"[?？]|吗|么\W*$|呢\W*$|多久|多长|几[天次个期号点年月件台周]|多少|怎么|怎样|咋|如何|什么|啥|哪|谁|是否|能不能|可不可以|"
    r"可以不|会不会|要不要|有没有|用不用|算不算|行不行|(.)不\1|[^一-龥]?不\W*$|没\W*$|"
    r"\b(?:how|what|when|where|which|who|why|can|could|do|does|is|are|will|would|should|any)\b",
    re.I,
)
_REQUEST = re.compile(
    r"帮我|给我|替我|帮忙|我要|我想要|我想(?:退|换|取消|改|开|申请|办|催)|请(?:帮|给|为|尽快)|麻烦(?:帮|给|你|您)|"
    r"申请一下|办一下|处理一下|"
    r"\b(?:please|pls|plz|i want|i'?d like|i would like|help me)\b",
    re.I,
)
_URGENT = re.compile(r"急用|急着|着急|赶紧|快点|催一?下|尽快|\b(?:asap|urgent|hurry)\b", re.I)
_OWN_ORDER = re.compile(
    r"我的(?:订单|快递|包裹|货|退款|钱|单子|发票|东西)|这单|这个订单|那个订单|订单号|到哪了|到哪儿了|到哪里了|怎么还没|"
    r"怎么还不|还不到|还没(?:到|收到|发|退|到账)|到了吗|发了吗|发货了没|退了吗|到账了吗|什么状态|进度|"
    r"(?:发货|发出|寄出|到货)了(?:吗|没)|"
    r"我(?:的|买的|订的|下单的)[^，,。？?!！\s]{1,10}?(?:发货|发了|到了|到哪|寄出|退款|退了|签收|物流|快递)|"
    r"\bmy (?:order|parcel|package|refund|invoice|item)s?\b|\bwhere is\b|\bhasn'?t (?:arrived|shipped)\b",
    re.I,
)


def asks(text: str) -> bool:
    """The message is phrased as a question ("…出报告不", "保几年", "收钱不", "any fee?")."""
    return bool(_ASKS.search(text or ""))


def is_command(text: str) -> bool:
    """A bare command, short and not a question ("取消订单", "换尺码", "退货", "apply price protection")."""
    core = _TRIM.sub("", text or "")
    cjk, words = len(re.findall(r"[\u3400-\u9fff]", core)), len(re.findall(r"[A-Za-z]+", text or ""))
    return not asks(text) and 0 < (cjk if cjk else words) <= (COMMAND_CJK if cjk else COMMAND_WORDS)


COMMAND_CJK, COMMAND_WORDS = 6, 3


def is_request(text: str) -> bool:
    """The customer asks kefu to act ("帮我取消", "我要退货", "急用") or about their own order ("我的快递到哪了")."""
    return bool(_REQUEST.search(text) or _URGENT.search(text) or _OWN_ORDER.search(text))


_STATE_WORDS = re.compile(
    r"了(?:\W|$)|还没|没有?(?:回|到|收|动|退|发)|不想要|都[^，,。\s]{0,4}了|"
    r"了(?:一半|一点|一些|一大半|大半|[一二两三四五六七八九十几半好][个瓶盒支罐件片块袋次层角处]?)")
"""What happened: a clause ending in 了 ("纸盒烂了 里面的没事"), a state word, or 了 then how much ("漏了一半",
"碎了两瓶")."""


def describes_situation(text: str) -> bool:
    """A short statement of what happened, naming no action and asking nothing ("钱还没回来", "不想要了",
    "到了都化了"): kefu does not know yet whether a rule or an action is wanted. Not a request ("我要退货",
    "帮我取消"), not one's own order asked after ("我的快递还没到"), not a bare command ("取消订单")."""
    text = text or ""
    core = _TRIM.sub("", text)
    if not core or len(core) > SITUATION_CHARS or asks(text) or is_request(text) or _PERSONAL.search(text):
        return False
    return bool(_STATE_WORDS.search(text))


SITUATION_CHARS = 16
"""Longer messages carry more than a situation (a request or a question the checks above may miss)."""


_SUPPOSING = re.compile(
    r"(?:如果|假如|要是|万一)?[^，。,.!?！？\s]{1,12}的话|^\W*(?:如果|假如|要是|万一)[^，。,.!?！？]{1,16}[，,]|"
    r"\bif\b[^,.?!]{1,40}(?:,|(?=\?\s*$))", re.I)
"""A supposed case ("还没发货的话", "如果已经签收了，", "if it has shipped,"): the condition of a rule question,
not the state of the customer's own order."""


_RULE_ASK = re.compile(
    r"(?:收费|扣钱|扣费|花钱|多少钱|运费|手续费|赔|能不能|可不可以|可以|还能|能)[^，,。；;\s]{0,6}(?:吗|不|么)?\W*$")
_MINE = re.compile(r"我的|这单|这个订单|那个订单|订单号|\bmy\b", re.I)


def _state_then_rule_question(text: str) -> bool:
    """A state stated, then a question about the rule for it ("零食已经打包了还没发 取消要扣钱吗"): the state is
    the condition of the rule, not a question about one's own order ("我的快递还没到 能退吗" stays one)."""
    parts = [p for p in re.split(r"[，,。；;\s]+", text.strip()) if p]
    last = parts[-1] if parts else ""
    return (len(parts) > 1 and not _MINE.search(text) and not _OWN_ORDER.search(last)
            and asks(last) and bool(_RULE_ASK.search(last)))


def asks_about_rules(text: str) -> bool:
    """A question about how the shop does things ("退货要在几天内寄回", "专票能开吗", "I want to change the address,
    any fee?", "还没发货的话改地址要收费吗"), not a question about one's own order ("我的快递到哪了"), nor an
    urgent or plain request ("催一下发货", "我要退货")."""
    if _URGENT.search(text):
        return False
    if _OWN_ORDER.search(_SUPPOSING.sub("", text)) and not _state_then_rule_question(text):
        return False
    return bool(_ASKS.search(text) or _GENERAL.search(text))


_PROCEDURE = re.compile(
    r"(?:怎么|怎样|如何|咋)(?:处理|解决|受理|算|赔偿?|补偿|办理|操作)|流程|程序|规则|规定|政策|标准|时效|"
    r"(?:多久|几天|多长时间)(?:能|会|可以|内)?(?:处理|受理|回复|答复|解决|给(?:出)?(?:结果|方案|答复))|"
    r"\bhow (?:do|does|will) (?:you|the shop|your shop) (?:handle|deal with|process|treat)\b|"
    r"\bwhat(?:'s| is) the (?:process|procedure|policy)\b",
    re.I,
)
"""Words of a question about how a kind of case is handled; venting ("等了多久了！", "你们说怎么办") has none."""


_HOW_IT_WORKS = re.compile(
    r"\bhow (?:does|do|will) (?:it|this|that|the (?:process|procedure)) work\b|"
    r"\bwhat(?:'s| is| are) the (?:process|procedure|steps)\b|"
    r"\bhow (?:do|can|should) i (?:make|file|lodge|submit|raise|go about)\b",
    re.I,
)
"""An English question about the steps themselves ("I want to make a complaint, how does it work?"): even after
"I want to …" it asks how the procedure goes, not for kefu to act on one's case ("…你们怎么处理" demands)."""


def asks_procedure(text: str) -> bool:
    """A question about how the shop handles a kind of case ("这种投诉你们怎么处理", "投诉流程是什么", "how do you
    handle complaints?", "I want to complain, how does it work?") with no request to act on the customer's own
    one: the policies answer it."""
    text = text or ""
    if _HOW_IT_WORKS.search(text) and not _URGENT.search(text):
        return not _OWN_ORDER.search(text) and not re.search(r"\b(?:help me|please|pls|plz)\b", text, re.I)
    return bool(_PROCEDURE.search(text)) and asks_about_rules(text) and not _REQUEST.search(text)


_ABOUT_AGENTS = re.compile(
    r"(?:人工|客服|真人)[^，,。？?]{0,8}(?:几点|什么时[候间]|时间|上班|下班|营业|在线|电话|热线|号码|多少号)|"
    r"(?:几点|什么时[候间])[^，,。？?]{0,6}(?:有|上班|下班|在线)?[^，,。？?]{0,4}(?:人工|客服|真人)|"
    r"\b(?:what time|when|hours|phone number|hotline|number)\b[^.?!]{0,40}\b(?:agents?|humans?|staff|support|"
    r"customer service|representatives?)\b|"
    r"\b(?:agents?|humans?|support|customer service|representatives?)\b[^.?!]{0,30}\b(?:hours|online|open|"
    r"available|phone number|hotline)\b",
    re.I,
)
_REACH_NOW = re.compile(r"转|找|接通|叫|联系我|给我|帮我|我要|\b(?:transfer|connect|put me|get me|i want|i need)\b",
                        re.I)


def asks_about_agents(text: str) -> bool:
    """A question about the shop's human service itself ("人工客服几点下班", "你们客服电话多少", "what time are
    your human agents online?"), not a request to be put through to one ("转人工", "帮我找人工客服"): the
    policies answer it and no ticket is opened."""
    text = text or ""
    return bool(_ABOUT_AGENTS.search(text)) and asks(text) and not _REACH_NOW.search(text)


def ordinal(text: str) -> int | None:
    """1-based position picked from an offered list ("第1个", "第二笔", "the second one", "2")."""
    match = _ORDINAL.search(_core(text))
    if not match:
        return None
    token = next(g for g in match.groups() if g)
    return int(token) if token.isdigit() else _ORDINALS.get(token.lower())


def is_dissatisfied(text: str) -> bool:
    return bool(DISSATISFIED.search(text))


def is_correction(text: str) -> bool:
    return bool(CORRECTION.search(text))


def order_suffix(text: str) -> str | None:
    """The digits of "尾号8823"-style references to an order."""
    match = ORDER_SUFFIX.search(text)
    return match.group(1) if match else None


def asks_after_own_order(text: str) -> bool:
    """The message asks about the customer's own order ("我的快递到哪了", "快递怎么还不到", "where is my order")."""
    return bool(_OWN_ORDER.search(text or ""))
