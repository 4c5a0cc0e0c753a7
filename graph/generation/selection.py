"""Pick the sentences of the retrieved policy passages that answer the customer's question.

Scoring is lexical and cheap (well under a millisecond a passage): question n-grams weighted by
how rare they are among the candidate sentences, the intent's terms, English words mapped to the
Chinese terms of the policies, and a bonus for sentences stating the kind of figure asked for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.generation.data import load_yaml
from graph.generation.numbers import extract_facts
from graph.generation.text import char_ngrams, normalise, split_sentences
from graph.intents import REGISTRY

_ASKS_TIME = re.compile(r"多久|几天|多长时间|什么时候|何时|时效|期限|几个工作日|"
                        r"how long|when|how many days|how soon", re.IGNORECASE)
_ASKS_MONEY = re.compile(r"多少钱|谁出|谁承担|谁付|费用|运费|多少|收费|收钱|要钱|加钱|多付|另收|手续费|补贴|补偿|"
                         r"how much|who pays|cost|fee|charge|pay extra", re.IGNORECASE)
_ASKS_COUNT = re.compile(r"几次|多少次|几回|how many times|how often", re.IGNORECASE)
_ASKS_RATE = re.compile(r"几倍|多少倍|几折|打几折|百分之|多少%|what percent|how many times more", re.IGNORECASE)
_RATE = re.compile(r"\d+(?:\.\d+)?\s*(?:倍|折|%)|percent", re.IGNORECASE)
_TIME_KINDS = {"day", "hour", "minute", "week", "month", "year"}
_TIME_WORDS = re.compile(r"实时|即时|立即|当天|次日|instant|immediately|same day", re.IGNORECASE)
RETRIEVED_BONUS = 0.8
"""Bonus of a sentence the knowledge base itself retrieved (its dense match knows synonyms we don't)."""


@dataclass
class Candidate:
    """One sentence of one passage, with its relevance score."""

    passage_rank: int
    position: int
    sentence: str
    score: float
    lexical: float


def question_terms(question: str, intent: str | None) -> dict[str, float]:
    """Weighted terms to look for: question n-grams (1.0), everyday Chinese words mapped to policy
    terms (1.5: they name what the customer means), English words mapped to Chinese terms (0.8),
    intent terms (0.4)."""
    lexicon = load_yaml("templates/lexicon.yaml")
    terms: dict[str, float] = {g: 1.0 for g in char_ngrams(question, sizes=(2,)) if not g.isdigit()}
    text = normalise(question).lower()
    for word in re.findall(r"[a-z]+(?:-[a-z]+)*", text):  # "interest-free" and its parts
        for part in {word, *word.split("-")}:
            for zh in lexicon["english_terms"].get(part, []):
                terms[zh] = max(terms.get(zh, 0.0), 0.8)
    for everyday, policy_terms in lexicon["chinese_terms"].items():
        if everyday in text:
            for zh in policy_terms:
                terms[zh] = max(terms.get(zh, 0.0), 1.5)
    for zh in REGISTRY[intent].policy_terms if intent in REGISTRY else ():
        terms[zh] = max(terms.get(zh, 0.0), 0.4)
    return terms


@lru_cache(maxsize=8192)
def _kinds(sentence: str) -> frozenset[str | None]:
    return frozenset(f.kind for f in extract_facts(sentence))


def kind_bonus(sentence: str, question: str) -> float:
    """Bonus of a sentence stating the kind of figure the question asks for (a time, an amount, a count)."""
    kinds = _kinds(sentence)
    bonus = 0.15 if kinds else 0.0
    if _ASKS_TIME.search(question) and (kinds & _TIME_KINDS or _TIME_WORDS.search(sentence)):
        bonus += 0.6
    if _ASKS_MONEY.search(question) and "money" in kinds:
        bonus += 0.6
    if _ASKS_COUNT.search(question) and "count" in kinds:
        bonus += 0.6
    if _ASKS_RATE.search(question) and _RATE.search(sentence):
        bonus += 0.6
    return bonus


def rank_sentences(question: str, passages: list[dict[str, Any]], intent: str | None) -> list[Candidate]:
    """All sentences of `passages` (already filtered for relevance), best first."""
    terms = question_terms(question, intent)
    sentences = [(r, i, s) for r, p in enumerate(passages) for i, s in enumerate(split_sentences(p.get("text", "")))]
    if not sentences:
        return []
    lowered = [s.lower() for _, _, s in sentences]
    df = {t: sum(1 for s in lowered if t.lower() in s) for t in terms}
    n = len(sentences)
    top_score = max(float(p.get("score") or 0.0) for p in passages) or 1.0
    out = []
    retrieved = [normalise(str(p.get("retrieved") or "")) for p in passages]
    for (rank, pos, sentence), low in zip(sentences, lowered, strict=False):
        lexical = sum(w * math.log(1 + n / (1 + df[t])) for t, w in terms.items() if df[t] and t.lower() in low)
        if lexical > 0 and retrieved[rank] and normalise(sentence) in retrieved[rank]:
            lexical += RETRIEVED_BONUS
        prior = (float(passages[rank].get("score") or 0.0) / top_score) ** 2  # trust the KB's ranking
        score = (lexical + kind_bonus(sentence, question) + (0.1 if pos == 0 else 0.0)) * prior
        out.append(Candidate(rank, pos, sentence, score, lexical))
    out.sort(key=lambda c: (-c.score, c.passage_rank, c.position))
    return out


def select_sentences(
    question: str, passages: list[dict[str, Any]], intent: str | None, limit: int = 3, keep_ratio: float = 0.3
) -> list[Candidate]:
    """The best sentences (at most `limit`, each within `keep_ratio` of the best), in reading order."""
    ranked = rank_sentences(question, passages, intent)
    if not ranked or ranked[0].lexical <= 0:
        return []
    best = ranked[0]
    # the best passage's own sentences are coherent context; other passages must be nearly as good
    chosen = [c for c in ranked if c.score >= (keep_ratio if c.passage_rank == best.passage_rank else 0.7) * best.score]
    chosen = chosen[:limit]
    # a rule is often followed by its consequence ("...then we resend or refund"): keep it
    taken = {(c.passage_rank, c.position) for c in chosen}
    for c in ranked:
        if len(chosen) < limit and c.passage_rank == best.passage_rank and c.lexical > 0 \
                and (c.passage_rank, c.position - 1) in taken and (c.passage_rank, c.position) not in taken:
            chosen.append(c)
            taken.add((c.passage_rank, c.position))
    chosen.sort(key=lambda c: (c.passage_rank, c.position))
    return chosen
