"""Which kind of fact a question asks for, and which kinds a policy clause states.

A question asks for a duration ("多久", "how long"), an amount ("多少钱", "who pays"), a count ("几次"), a
rate ("几折", "税率"), a permission ("能…吗", "can I") or a procedure ("怎么申请", "how do I"). A clause
states a figure of a kind (graph/generation/numbers.py), a permission or refusal ("可以", "不支持",
"只能"), or steps ("在订单页点击…申请"). The clause stating the kind asked for answers; one that only shares
the question's words often does not ("清关要几天": the clause with "1-3天", not the one naming 保税仓).

Shop-independent: the patterns are question words and the words every shop's rules state facts with.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.generation.numbers import extract_facts

_ASKS: dict[str, re.Pattern[str]] = {
    "time": re.compile(r"多久|几天|多少天|几个?小时|多长时间|什么时候|啥时候|啥时|何时|时效|期限|几个工作日|几点|"
                       r"how long|when|how many (?:days|hours|weeks)|how soon|what time|deadline", re.I),
    "money": re.compile(r"多少钱|谁出|谁承担|谁付|费用|运费|收费|收钱|要钱|花钱|加钱|多付|另收|手续费|补贴|补偿|赔多少|"
                        r"怎么赔|赔偿|多少元|几块|最多|最少|最低|上限|起订|限额|how much|who pays|cost|fee|charge|"
                        r"pay extra|compensat|minimum|maximum|limit", re.I),
    "count": re.compile(r"几次|多少次|几回|几个|几件|几张|多少个|多少件|最多|最少|起订|how many(?! days| hours| weeks)|"
                        r"how often|minimum|maximum|limit", re.I),
    "rate": re.compile(r"几倍|多少倍|几折|打几折|折扣|百分之|多少%|税率|比例|最多|最少|最低|上限|percent|discount|"
                       r"\brate\b|maximum|minimum|limit", re.I),
    "permission": re.compile(r"能不能|可不可以|可以不|行不行|能否|是否|可以.{0,12}[吗么嘛]|能.{0,12}[吗么嘛不]|"
                             r"支持.{0,12}[吗么嘛]|会不会|\b(?:can|could|may) (?:i|we|you)\b|is it possible|"
                             r"\bdo you\b|\bis there\b|allowed", re.I),
    "procedure": re.compile(r"怎么|如何|怎样|咋办|咋弄|流程|步骤|手续|\bhow (?:do|can|to|does)\b|"
                            r"what should|process|steps", re.I),
}
_STATES_WORDS: dict[str, re.Pattern[str]] = {
    "time": re.compile(r"即时|实时|立即|当天|次日|当日|隔天|工作日|周[一二三四五六日末]|星期|节假日|\d{1,2}:\d{2}|"
                       r"instant|immediately|same day|next day|monday|tuesday|wednesday|thursday|friday|"
                       r"saturday|sunday|weekend", re.I),
    "money": re.compile(r"免费|包邮|免收|不收|承担|自付|垫付|赔|补偿|退还|free of charge|free\b|pays?\b|paid|borne|"
                        r"refund", re.I),
    "count": re.compile(r"一次|\d+\s*(?:次|件|张|个|单|箱|套)|once|twice|"
                        r"\d+\s*(?:boxes|items|pieces|pcs|units|orders|cartons|sets)\b", re.I),
    "rate": re.compile(r"\d+(?:\.\d+)?\s*(?:倍|折|%)|赔[一二三四五六七八九十]|percent|% off", re.I),
    "permission": re.compile(r"可以|可申请|可在|可与|可选|均可|不可|不能|不支持|支持|只能|仅限|不在|不参与|不接受|不予|"
                             r"不退|不补|无法|须|需|\bcan(?:not)?\b|can't|only|not\b|may\b|allowed", re.I),
    "procedure": re.compile(r"点击|申请|联系|提交|上传|勾选|填写|拨打|发送|登录|进入|选择|寄回|扫码|"
                            r"在[^，。；]{1,10}(?:页|窗口|入口|页面|小程序|官网)|"
                            r"\b(?:click|contact|submit|upload|select|send|apply|tap|call|email)\b", re.I),
}
_KIND_OF_FIGURE = {"day": "time", "hour": "time", "minute": "time", "week": "time", "month": "time",
                   "year": "time", "money": "money", "count": "count", "percent": "rate"}
FIGURE_TYPES = ("time", "money", "count", "rate")
"""Kinds stated by a figure: a clause that states one answers a question asking for it more surely than a
permission or a procedure does."""


def asked_types(question: str) -> frozenset[str]:
    """The kinds of fact the question asks for (empty: it asks none we can tell)."""
    return frozenset(kind for kind, pattern in _ASKS.items() if pattern.search(question or ""))


@lru_cache(maxsize=16384)
def stated_types(clause: str) -> frozenset[str]:
    """The kinds of fact the clause states."""
    kinds = {_KIND_OF_FIGURE[f.kind] for f in extract_facts(clause) if f.kind in _KIND_OF_FIGURE}
    kinds |= {kind for kind, pattern in _STATES_WORDS.items() if pattern.search(clause)}
    return frozenset(kinds)


def answers_kind(question_kinds: frozenset[str], clause: str) -> tuple[float, float]:
    """(figure, manner): whether the clause states a figure of an asked kind (1.0), of none of them (-1.0),
    or the question asks no figure (0.0); and whether it states the asked permission or procedure (1.0,
    else 0.0). A missing figure tells more than a missing permission word: "能退差价吗" is answered by
    "付款后15天内"."""
    stated = stated_types(clause)
    figures = question_kinds & set(FIGURE_TYPES)
    figure = (1.0 if figures & stated else -1.0) if figures else 0.0
    manner = 1.0 if (question_kinds - set(FIGURE_TYPES)) & stated else 0.0
    return figure, manner
