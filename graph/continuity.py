"""Topic continuity: how a short message continues the conversation instead of starting a new one.

- `follow_up(text)`: "然后呢", "都三天了", "怎么还没到", "明天再不到就不要了" continue the active topic;
- `answer_to_offer(pending, text, intent)`: a short yes/no/choice answers the question kefu's last reply
  asked (a transfer offer, a yes/no, either/or);
- `clarifying_options(candidates)`: the two readings to offer when the NLU is unsure;
- `next_step(topic, kind)`: once an order's status has been shown, a "then what" about it is answered
  from the policies of what happens next (delivery problems, refunds).
Word lists are data; matching is on the normalised message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from graph import dialogue_acts as acts
from graph.intents import REGISTRY, TASK_INTENTS, display_name
from graph.reply import wording
from graph.state import Choice, FollowUp, PendingQuestion

_THEN_WHAT = re.compile(
    r"^(?:那|那么|所以|好吧)?\s*(?:然后|之后|接下来|后面|下一步|现在)(?:呢|怎么办|怎么弄|咋办|咋整|怎么说)?\s*[?？]*$|"
    r"^(?:那|那我|那现在|现在)?\s*(?:该)?(?:怎么办|咋办|咋整|怎么弄|怎么处理|怎么搞)(?:呢|啊|呀)?\s*[?？]*$|"
    r"^(?:那|那要是)?\s*万一.{0,10}(?:呢|怎么办|咋办)\s*[?？]*$|^(?:那|那如果|如果)?\s*(?:还是)?(?:不行|没用)(?:呢|的话)\s*[?？]*$|"
    r"^\s*(?:and\s+|so\s+)?(?:then what|what now|what next|now what|what should i do|what do i do)\b",
    re.I,
)
_ELAPSED = re.compile(
    r"(?:都|已经|快)?\s*(?:[一二两三四五六七八九十半几\d]+|好几|这么多)\s*(?:天|周|个星期|星期|礼拜|个月|个小时|小时)"
    r"(?:了|啦|还|都|没)|(?:等了|这么)(?:好久|很久|半天|久)|"
    r"\b(?:\d+|two|three|four|five|several|a few) (?:days?|weeks?)(?: already| now| and)|\bit'?s been\b",
    re.I,
)
_DELAY = re.compile(
    r"(?:还|怎么还|咋还|为什么还|为啥还|到现在还|一直)(?:没|不|么|在)\s*(?:有)?(?:到|发|动|更新|收到|退|送|派|寄)|"
    r"还没消息|太慢|这么慢|好慢|一直(?:显示|停在|没动)|不动了|停了|"
    r"\bstill (?:not|no|hasn'?t|haven'?t|waiting|nothing)\b|\bnot (?:arrived|here|moved) yet\b|\bso slow\b",
    re.I,
)
_DEADLINE = re.compile(
    r"(?:明天|后天|今天|今晚|周[一二三四五六日末]|星期[一二三四五六日天]|下周)[^，。,.]{0,6}(?:再不到|还不到|不到|到不了|送不到)|"
    r"再不到就|到不了(?:就|我就)|\bif it (?:doesn'?t|does not|won'?t) (?:arrive|come)\b",
    re.I,
)
_SHORT_ASK = re.compile(
    r"^(?:那|所以)?\s*(?:在哪(?:呢|了|儿)?|到哪(?:了|儿了)?|要多久|多久|还要多久|什么时候|啥时候|几天|能到吗|还能到吗|"
    r"能快点吗|快点|[?？]+|when|how long|where is it)\s*[?？]*$",
    re.I,
)
FOLLOW_UP_CHARS = 24
"""Longer messages carry a topic of their own."""

YES = re.compile(r"^(?:要|需要|转吧|转|帮我转|可以的?|好的?呀?|行|嗯+|麻烦了?|麻烦你了|是的?|对|请转|好啊|ok|okay|yes|"
                 r"yes please|sure|please do|go ahead)[\s,，.。!！~]*$", re.I)
# a yes that goes on to hand kefu the errand ("好 你帮我问问", "行 那麻烦你了", "ok please check with them")
YES_GO_AHEAD = re.compile(r"^(?:好的?|好吧|行吧?|可以|嗯+|ok|okay|yes|sure)[\s,，.。!！~]*(?:那)?(?:你)?"
                          r"(?:帮我(?:问问?|催催?|转|联系|核实|跟进)|麻烦|替我|去问|问问|催一?下|"
                          r"(?:那就)?(?:尽快|快点|抓紧|赶紧|越快越好|记得)|"
                          r"please (?:do|check|ask|chase|hurry)|go ahead|asap|as soon as possible|quickly)", re.I)
# a demand for an errand only a person can run ("那你给我补发", "just send me a new one"): with the handoff
# offered, it is the customer's go-ahead for it
ERRAND = re.compile(r"^(?:那|那就|那你|你|就)?(?:们)?(?:就)?(?:快点|赶紧|马上|直接)?(?:给我|帮我|替我)"
                    r"(?:补发|重发|重新发|再发|寄个新的|发个新的|换个新的|处理|办了?|问问?|催催?|联系)|"
                    r"^(?:(?:then |so )?(?:just |please )?(?:reship|resend|re-send)|"
                    r"(?:then |so )?(?:just |please )?send (?:me )?(?:a )?(?:new one|replacement))\b", re.I)
NO = re.compile(r"^(?:不用了?|不要|不需要|不了|先不用?|算了|没事了?|no|nope|no thanks|not now|不用转)[\s,，.。!！~]*$",
                re.I)


def follow_up(text: str) -> FollowUp | None:
    """How a message continues the active topic, or None when it does not read as a continuation."""
    text = (text or "").strip()
    if not text or len(text) > FOLLOW_UP_CHARS:
        return None
    for kind, pattern in (("then_what", _THEN_WHAT), ("deadline", _DEADLINE), ("elapsed", _ELAPSED),
                          ("delay", _DELAY), ("short", _SHORT_ASK)):
        if pattern.search(text):
            return kind  # type: ignore[return-value]
    return None


_HELLO = re.compile(r"你好|您好|在吗|在么|在不在|有人吗|哈喽|嗨|亲[?？]?$|^\s*(?:hi|hello|hey)\b|"
                    r"\b(?:any(?:one|body) (?:there|here)|are you there)\b", re.I)


def greets(text: str) -> bool:
    """The message says hello or checks someone is there ("你好", "在吗", "hi")."""
    return bool(_HELLO.search(text or ""))


_QUESTION = re.compile(r"[?？]|吗|呢|多久|多长|多少|几天|期限|规定|政策|什么|啥|怎么|为什么|为啥|谁|哪|是不是|能不能|"
                       r"可不可以|有没有|"
                       r"\b(?:what|when|where|why|how|who|which|can|could|is|are|do|does)\b", re.I)


_ACK_ONLY = re.compile(r"^(?:那|那我|我)?(?:还是)?(?:先)?(?:等(?:等|着|一下|吧)?|算了|先这样|知道了|明白了?|了解了?|"
                       r"收到|解决了|没问题了?|好吧|行吧|也行|可以了?)|(?:吧|了|哈|啊)$|"
                       r"^\s*(?:ok|okay|got it|i see|fine|alright|never ?mind|nice|great|perfect|exactly|sure|"
                       r"yes|yeah|no|nope|sorry|oh|thanks?|cool|sounds good|"
                       r"that'?s (?:it|all|fine|great)|that was (?:it|all))\b|"
                       r"\b(?:look forward|no problem|take care)\b", re.I)


def only_acknowledges(text: str) -> bool:
    """The message only takes note ("好吧", "那我还是等吧", "知道了"), short of a fact or a demand."""
    text = (text or "").strip(" 。.!！~")
    return len(text) <= 3 or len(text.split()) <= 2 and text.isascii() or bool(_ACK_ONLY.search(text))


def asks_something(text: str) -> bool:
    """The message is a question ("多久给我答复", "好了吗", "保几年", "要我自己去检测不")."""
    return bool(_QUESTION.search(text or "")) or acts.asks(text)


def says_yes(text: str) -> bool:
    """A yes to kefu's question: short ("嗯", "好的", "要", "转吧", "yes please"), or a yes that hands kefu
    the errand and asks nothing new ("好 你帮我问问 今天一定要到啊")."""
    text = text.strip()
    if YES.match(text) or (len(text) <= 8 and acts.is_confirm(text)):
        return True
    return bool(YES_GO_AHEAD.match(text)) and not asks_something(text)


def demands_errand(text: str) -> bool:
    """The message tells kefu to get something done that a person runs ("那你给我补发", "reship it"),
    short of a question ("能给我补发吗" asks)."""
    text = text.strip()
    return bool(ERRAND.search(text)) and not asks_something(text)


def says_no(text: str) -> bool:
    """A short no to kefu's question ("不用了", "算了", "no thanks")."""
    if acts.asks(text) and not NO.match(text.strip()):  # "先给我补发行不行": a question, not a no
        return False
    return bool(NO.match(text.strip())) or (len(text) <= 8 and acts.is_deny(text))


def _picked(options: Sequence[Choice], text: str, intent: str | None) -> Choice | None:
    """The option a message picks: by its label or the intent's names, by position, or by what NLU read."""
    lowered = text.lower()
    for option in options:
        names = {option.get("label", "")} | {display_name(option.get("intent"), lang) or "" for lang in ("zh", "en")}
        if any(name and name.lower() in lowered for name in names):
            return option
    position = acts.ordinal(text)
    if position and position <= len(options):
        return options[position - 1]
    return next((o for o in options if o.get("intent") == intent), None)


def answer_to_offer(pending: PendingQuestion | None, text: str, intent: str | None,
                    supplies: bool = False) -> dict[str, Any] | None:
    """What a short answer to kefu's open question means: {"intent"} to serve, {"declined": True}, or None
    when the message does not answer it (it is then read as a request of its own). `supplies`: the message
    gives the order or the product, which goes on with the first (likeliest) reading of a choice."""
    if not pending:
        return None
    kind = pending.get("kind")
    if kind == "choice":
        options = pending.get("options") or []
        chosen = _picked(options, text, intent) or (options[0] if supplies and options else None)
        return {"intent": chosen["intent"]} if chosen and chosen.get("intent") else None
    if says_no(text):
        return {"declined": True}
    if says_yes(text) or kind == "transfer" and intent not in TASK_INTENTS and demands_errand(text):
        wanted = "human_agent" if kind == "transfer" else pending.get("intent")
        return {"intent": wanted} if wanted else None
    return None


def choice_label(intent: str, language: str) -> str:
    """How a reading is offered as a quick reply ("取消订单", "申请退货"); the intent's name otherwise."""
    labels = wording.section("choice", language)
    return str(labels.get(intent) or display_name(intent, language) or intent)


def clarifying_options(candidates: Any, language: str) -> list[Choice]:
    """The two best distinct task readings as quick replies (empty when there are not two)."""
    options: list[Choice] = []
    for cand in candidates if isinstance(candidates, list) else []:
        intent = cand.get("intent") if isinstance(cand, dict) else None
        if intent in TASK_INTENTS and intent not in (o["intent"] for o in options):
            options.append({"intent": intent, "label": choice_label(intent, language)})
        if len(options) == 2:
            break
    return options if len(options) == 2 else []


_SIZE = re.compile(
    r"码数|尺码|挤脚|磨脚|偏大|偏小|短了|不合身|穿不上|穿不下|(?:试|穿)了?一?下?不合适|"
    r"\b(?:too (?:big|small|tight|loose)|(?:doesn'?t|didn'?t|does not|did not) fit)\b",
    re.I,
)
_FAULT = re.compile(
    r"坏了|故障|不能用|用不了|不出(?:热风|风|水|声音?)|没(?:有)?声音|没反应|充不进|充不上|不充电|"
    r"开不了机|打不开|不亮了?|不转了?|不制冷|不加热|"
    r"\b(?:stopped working|not working|doesn'?t work|won'?t (?:turn on|charge)|broken|faulty)\b",
    re.I,
)
_NOT_FAULT = re.compile(r"(?:没有|没|不是|并非)[^，。,.!！]{0,3}(?:质量|坏|故障)|\bnot (?:broken|faulty)\b", re.I)


def after_sale_options(text: str, language: str) -> list[Choice]:
    """A size that does not fit, or an item that stopped working, described without saying what is wanted:
    the two after-sale requests it can become, as quick replies (empty otherwise)."""
    if _SIZE.search(text or ""):
        order = ("exchange_request", "return_request")
    elif _FAULT.search(text or "") and not _NOT_FAULT.search(text or ""):
        order = ("return_request", "warranty_repair")
    else:
        return []
    return [{"intent": intent, "label": choice_label(intent, language)} for intent in order]


_ARRIVAL = re.compile(
    r"(?:啥时候|什么时候|多久|几天|何时|哪天)(?:能)?(?:到|发货?|送)|到哪|"
    r"\bwhen will (?:it|they) (?:arrive|come|ship)", re.I)


def asks_arrival(text: str) -> bool:
    """The message asks when something arrives or ships ("我买的羽绒服啥时候到")."""
    return bool(_ARRIVAL.search(text or ""))


_DELIVERY = ("delivery_problem", {"deadline": "拒收 退款", "_": "物流 长时间没有更新 快递 核查"})
_REFUND = ("return_policy", {"_": "退款 到账时间"})
NEXT_STEP: dict[str, tuple[str, dict[str, str]]] = {
    "logistics_tracking": _DELIVERY,
    "order_status": _DELIVERY,
    "urge_shipment": ("delivery_problem", {"deadline": "取消订单 发货前", "_": "发货时间 超过 未发货 催发货"}),
    "refund_status": _REFUND,
    "cancel_order": _REFUND,
    "return_request": ("return_policy", {"_": "退货 寄回 退款 时间"}),
    "exchange_request": ("return_policy", {"_": "换货 寄回 时间"}),
}
"""Once an order's result is shown, a follow-up on it ("然后呢", "都三天了") is answered from the policies of
what happens next: topic -> (policy intent, retrieval query by follow-up kind; "_" for any other kind)."""


def next_step(topic: str | None, kind: str | None) -> tuple[str, str] | None:
    """The policy intent and retrieval query that answer what happens next on `topic` (None: no such step)."""
    row = NEXT_STEP.get(topic or "")
    if row is None or row[0] not in REGISTRY:
        return None
    intent, queries = row
    return intent, queries.get(kind or "_", queries["_"])


def general_policy(intent: str | None) -> str | None:
    """The policy intent that answers a task's question in general, when its order cannot be found."""
    row = NEXT_STEP.get(intent or "")
    return row[0] if row and row[0] in REGISTRY else None
