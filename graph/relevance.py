"""Which retrieved policies the conversation may quote: the ones on the turn's topic.

The knowledge base ranks passages by closeness to the query; a loosely related rule still comes first when
nothing fits ("会不会多收我钱" brought the address-change rule, "我是plus会员" the digital-goods rule). Here,
in the conversation layer, a passage is quoted when it is close to the query (`RELEVANT_SCORE`), or when its
title names the turn's topic (the intent's topic and policy terms, graph/intents.yaml). With none left, the
reply says plainly what kefu can do instead (graph/nodes/respond.py) rather than quote an unrelated rule.
"""

from __future__ import annotations

import re
from typing import Any

from graph.intents import REGISTRY

RELEVANT_SCORE = 0.45
"""A passage scored this well is on topic whatever the intent (fitted on the judged replays of the dev sets:
every quote the judge called unrelated scored below it, e.g. 0.39-0.41 for "你们帮我联系一下啊")."""
MEANING_SCORE = 0.35
"""A passage one of whose clauses the multilingual sentence encoder puts this close to the message is on topic
("钱还没回来" / "退款审核通过后按原支付方式退回"; fitted on the union of the dev shops: of the top passages no other
rule lets through, 23 right and 2 wrong policies reach it)."""
CROSS_LINGUAL_SCORE = 0.3
"""A rule in the other language shares no words with the message: its score alone decides, at this bar."""
_GENERIC_EN = {"question", "request", "enquiry", "problem", "claim", "change"}


def topic_terms(intent: str | None) -> tuple[str, ...]:
    """Words a policy title on this intent's topic contains (Chinese topic and terms, English name words)."""
    row = REGISTRY.get(intent or "")
    if row is None:
        return ()
    english = [w for w in re.findall(r"[a-z]{5,}", row.names.get("en", "").lower()) if w not in _GENERIC_EN]
    return (*row.policy_terms, *row.topic.values(), *english)


_FUNCTION_CHARS = set("的了吗呢啊吧呀哦嘛么我你您他她它们是在有不没这那就都还要会能可以和与或也很太给让把被个一")
_STOP_EN = {"what", "when", "where", "which", "that", "this", "there", "they", "have", "does", "will", "would",
            "could", "should", "with", "from", "your", "about", "just", "still", "been", "into", "than", "then",
            "them", "their", "here", "much", "many", "want", "need", "please", "thanks", "hello", "order", "item",
            "product", "account", "shop", "store", "help", "like", "know", "time", "today", "said", "says", "make",
            "sure", "thing", "able", "trying", "check"}
_GENERIC_ZH = {"订单", "商品", "客服", "东西", "快递", "问题", "时候", "什么", "怎么", "这个", "一下", "知道", "现在",
               "已经", "需要", "多少", "提供", "联系", "地址", "电话", "手机"}
"""Words every shop rule may contain: sharing one says nothing about the topic."""


def content_terms(text: str) -> set[str]:
    """The message's own content words: Chinese character pairs without function characters, English words of
    four letters or more (a plural's s dropped), no stop words."""
    text = (text or "").lower()
    pairs = {a + b for run in re.findall(r"[\u3400-\u9fff]+", text) for a, b in zip(run, run[1:], strict=False)
             if a not in _FUNCTION_CHARS and b not in _FUNCTION_CHARS}
    words = {w.removesuffix("s") for w in re.findall(r"[a-z]{4,}", text) if w not in _STOP_EN}
    return (pairs - _GENERIC_ZH) | words


def shares_words(passage: dict[str, Any], message: str) -> bool:
    """The passage (title or retrieved text) contains a content word of the customer's own message."""
    body = f"{passage.get('title') or ''} {passage.get('retrieved') or passage.get('text') or ''}".lower()
    return any(term in body for term in content_terms(message))


def on_topic(passage: dict[str, Any], intent: str | None, message: str = "") -> bool:
    """The passage is close to the query, its title names the intent's topic, or it speaks of something the
    message itself names (the intent may be a wrong guess; a rule found only through the history is not)."""
    try:
        if float(passage.get("score", 0.0)) >= RELEVANT_SCORE:
            return True
    except (TypeError, ValueError):
        return False
    title = str(passage.get("title") or "").lower()
    if any(term.lower() in title for term in topic_terms(intent)) or shares_words(passage, message):
        return True
    if _cross_lingual(title, message) and float(passage.get("score", 0.0)) >= CROSS_LINGUAL_SCORE:
        return True
    return _may_match_by_meaning(intent, message) and close_in_meaning(passage, message)


_NO_MEANING_MATCH = {"complaint", "human_agent", "greeting"}


def _may_match_by_meaning(intent: str | None, message: str) -> bool:
    """Meaning alone may put a rule on topic for a question or for a situation told ("钱还没回来", "镜子到手就是
    碎的"), not for a complaint, a greeting or a call for a person that asks nothing ("不给我退我就差评"): the
    closest rule quoted there is the boilerplate issue 21's blind judges called unrelated."""
    from graph.continuity import asks_something

    return intent not in _NO_MEANING_MATCH or asks_something(message)


def close_in_meaning(passage: dict[str, Any], message: str) -> bool:
    """A clause of the passage's matched chunks is within MEANING_SCORE of the message for the sentence encoder
    (a situation in other words: no shared word, no close KB score)."""
    from graph.generation.clauses import parse_clauses
    from graph.generation.semantic import similarities

    if not message.strip():
        return False
    title = str(passage.get("title") or "")
    chunks = [str(c.get("text") or "") for c in passage.get("chunks") or [] if isinstance(c, dict)]
    clauses = [c.text for chunk in chunks or [str(passage.get("text") or "")] for c in parse_clauses(chunk, 0, title)]
    return bool(clauses) and max(similarities(message, clauses)) >= MEANING_SCORE


def relevant_passages(passages: list[dict[str, Any]], intent: str | None, message: str = "") -> list[dict[str, Any]]:
    """The passages the reply may quote, in their order."""
    return [p for p in passages if isinstance(p, dict) and on_topic(p, intent, message)]


def above(passages: list[dict[str, Any]], min_score: float) -> list[dict[str, Any]]:
    """The passages scored at least `min_score` (the ones the composer would quote)."""
    out = []
    for p in passages:
        try:
            if isinstance(p, dict) and float(p.get("score", 0.0)) >= min_score:
                out.append(p)
        except (TypeError, ValueError):
            continue
    return out


def _cross_lingual(title: str, message: str) -> bool:
    """The rule is written in the other language than the message (Chinese and Latin script)."""
    cjk = re.compile(r"[\u3400-\u9fff]")
    return bool(re.search(r"\w", message)) and bool(cjk.search(title)) != bool(cjk.search(message))
