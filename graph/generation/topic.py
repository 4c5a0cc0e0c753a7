"""How well each clause of the retrieved policies answers the question: its topic and the stated condition.

Question n-grams weighted by rarity count in the clause itself and (less) in its heading and lead; the kind
of figure asked for, the knowledge base's own match of the clause's chunk and the multilingual sentence
encoder's match of the clause (graph/generation/semantic.py: synonyms and other languages, which no shared
word finds) add to it; the fit of the clause's case to the stated condition lifts or lowers it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from graph.generation.asking import skip_bigrams
from graph.generation.clauses import Clause
from graph.generation.conditions import Condition, fit, fit_by_kind, without_mentions
from graph.generation.facttype import answers_kind, asked_types
from graph.generation.narrowing import META, grams, label_text, segments, without_title
from graph.generation.polarity import polarity
from graph.generation.selection import kind_bonus, question_terms
from graph.generation.semantic import similarities
from graph.generation.text import char_ngrams, normalise
from knowledge.language import is_cjk_text
from knowledge.text import lexicon

CONTEXT_WEIGHT = 0.85
TITLE_WEIGHT = 0.5
PRIOR_POWER = 3
"""The knowledge base's own ranking of the policies, as a factor (score / best score) ** PRIOR_POWER."""
VALUE_TERM = 1.0
"""Weight of a value the customer named (冰箱, 信用卡) as a search term (English ones find Chinese policies)."""
WIDER_TERM = 0.6
"""Weight of a value holding the one named (甘肃 for 兰州) as a search term."""
RETRIEVED_BONUS = 1.0
"""Bonus of the clause the knowledge base itself retrieved (its dense match knows synonyms we don't)."""
SHARPNESS = 4
"""The KB's match share of a clause's chunk counts as share ** SHARPNESS (the best chunk 1, a weak one ~0)."""
CROSS_SHARE = 0.8
"""A clause of a policy in another language is a candidate when its chunk matched this share of the best."""
CROSS_LINGUAL = 1.0
"""Topic score of the clause the knowledge base retrieved from a policy in another language than the question
(its dense match crossed the languages; no word of the question can)."""
SEMANTIC = 1.5
"""Weight of the sentence encoder's similarity of question and clause (above SEMANTIC_FLOOR) in a clause's score."""
SEMANTIC_FLOOR = 0.3
"""In the question's language only a close match counts (a weak one is noise between near ties)."""
POLICY_SEMANTIC = 0.0
"""Share of it in the policy's own score (which policy answers is the knowledge base's ranking and the words)."""
CROSS_SEMANTIC = 1.5
CROSS_FLOOR = 0.15
"""A clause in another language than the question is a candidate when the encoder's similarity passes this."""
SAME_FLOOR = 0.45
"""A clause in the question's language sharing no word with it is a candidate from this similarity on (fitted on
the dev shops: about 1 in 120 clauses of unrelated policies reaches it, 37% of the clauses that answer)."""
SAME_RETRIEVED = 1.0
"""Share of CROSS_LINGUAL a clause in the question's language scores when no clause of its policy shares a word with
the question and the knowledge base's dense match put its chunk first ("专票" / "增值税专用发票…": an abbreviation or
a synonym no word finds), while another policy shares one. A policy that shares words keeps choosing its clause by
them; when none does, the composer's fallbacks for a situation told in other words apply (graph/generation/cases.py)."""
KIND_MATCH = 0.3
"""A clause stating a figure of the kind the question asks for (a duration, an amount, a count, a rate:
graph/generation/facttype.py) scores this share more, one stating none of them this share less."""
MANNER_MATCH = 0.1
"""A clause stating the permission or the steps the question asks about scores this share more."""
POLICY_KIND = 0.3
"""Share of it in the policy's own score."""
POLARITY = 0.5
"""Weight of each agreement (less conflict) between what the question and the clause's case negate
(graph/generation/polarity.py: "没买运费险" / "无运费险"), at most POLARITY_CAP of them."""
POLARITY_CAP = 2
KIND_WORDS = {"place": ("省份", "地区", "省内", "城市")}
STEM = 5
SKIP_TERM = 0.5
"""Weight of two Chinese characters one apart in the question or in the clause ("时间段" finds "时段",
"发新的" finds "发出新货")."""


@dataclass
class Scored:
    """One clause with its scores."""

    clause: Clause
    score: float
    """Topic and condition together: which clause of a policy answers."""
    lexical: float
    plain: float = 0.0
    """Topic alone: which policy answers (a condition names cases, not policies)."""
    by_meaning: bool = False
    """A candidate by the sentence encoder alone (no word, no KB chunk match): it may answer, but it does not
    make a sibling a case the question touches."""


def _question_terms(question: str, cond: Condition) -> dict[str, float]:
    """Weighted topic terms: the question less its condition words, plus the values it names."""
    stop = lexicon()["stopwords"]
    # the condition words pick the case, the rest of the question the policy ("冰箱" / "上门取件费多少")
    terms = {_stem(t).lower(): w for t, w in question_terms(without_mentions(question), None).items()
             if t not in META | stop}
    for kind, values in cond.values.items():
        for value in values:
            terms[value] = max(terms.get(value, 0.0), VALUE_TERM if value in cond.exact[kind] else WIDER_TERM)
        for word in KIND_WORDS.get(kind, ()):  # a place asks about the rule by region ("其他省份")
            terms.setdefault(word, WIDER_TERM)
    for gram in skip_bigrams(without_mentions(question)):
        if gram not in stop:
            terms.setdefault(gram, SKIP_TERM)
    return terms


def topic_scores(question: str, clauses: list[Clause], passages: list[dict[str, Any]], intent: str | None,
                  cond: Condition) -> list[Scored]:
    terms = _question_terms(question, cond)
    texts = [(c.text.lower(), f"{c.heading} {c.lead}".lower()) for c in clauses]
    plain = set(char_ngrams(question, sizes=(2,)))  # a bigram the question writes may be split in the clause
    gapped = [skip_bigrams(c.text) & plain for c in clauses]  # "发新" in "发出新货"
    df = {t: sum(1 for (own, ctx), gaps in zip(texts, gapped, strict=True) if t in own or t in ctx or t in gaps)
          for t in terms}
    # a word is rare among the clauses of its own language: English words are no rarer for being absent from
    # the Chinese policies (an English policy would win on "time" and "delivery")
    cjk = sum(1 for c in clauses if is_cjk_text(c.text))
    pool = {True: cjk, False: len(clauses) - cjk}
    idf = {t: w * math.log(1 + pool[is_cjk_text(t)] / (1 + df[t])) for t, w in terms.items() if df[t]}
    in_title = [{t for t in idf if t in str(p.get("title") or "").lower()} for p in passages]
    top = max(float(p.get("score") or 0.0) for p in passages) or 1.0
    shares = [_chunk_shares(p) for p in passages]
    local = [without_title(cond, str(p.get("title") or "")) for p in passages]
    question_cjk = is_cjk_text(question)
    sims = similarities(question, [c.text for c in clauses])
    kinds = _kind_factors(question, clauses)
    words = [_lexical(idf, own, ctx, gaps, in_title[c.passage_rank])
             for c, (own, ctx), gaps in zip(clauses, texts, gapped, strict=True)]
    worded = {c.passage_rank for c, (lexical, _) in zip(clauses, words, strict=True) if lexical > 0}
    said = grams(without_mentions(question))
    out = []
    for c, (lexical, inside), sim, kind in zip(clauses, words, sims, kinds, strict=True):
        share = _share(shares[c.passage_rank], normalise(c.text))
        unworded = lexical <= 0 and (share < CROSS_SHARE or is_cjk_text(c.text) == question_cjk)
        if lexical <= 0:  # no word in common: the meaning alone (another language, a situation described)
            lexical = inside = _meaning_only(share, sim, is_cjk_text(c.text) != question_cjk,
                                             bool(worded) and c.passage_rank not in worded)
        if lexical <= 0:
            out.append(Scored(c, 0.0, lexical))
            continue
        prior = (float(passages[c.passage_rank].get("score") or 0.0) / top) ** PRIOR_POWER
        # a figure in the case name is its condition ("使用8年以上："), the answer is in the body
        bonus = kind_bonus(c.body, question) + RETRIEVED_BONUS * share ** SHARPNESS
        condition = _case_condition(local[c.passage_rank], c, question, said)
        crossed = is_cjk_text(c.text) != question_cjk
        meaning = SEMANTIC * max(0.0, sim - (CROSS_FLOOR if crossed else SEMANTIC_FLOOR))
        out.append(Scored(c, max(0.0, inside + bonus + condition + meaning) * prior * kind, lexical,
                          (lexical + bonus + POLICY_SEMANTIC * meaning) * prior * (1 + POLICY_KIND * (kind - 1)),
                          unworded))
    return out


def _case_condition(cond: Condition, c: Clause, question: str, said: set[str]) -> float:
    """The fit of the clause's case to the stated condition and polarity. A case the customer named by its own word
    ("铰链" in "五金件（铰链、…功能沙发铁架）") is not lowered for another value its name lists."""
    condition = _condition_bonus(cond, c)
    if condition < 0 and c.label and said & grams(c.label):
        condition = 0.0
    return condition + (polar(question, c.label, POLARITY) if c.label else 0)


def polar(question: str, case: str, weight: float) -> float:
    """The polarity agreement of the question and a case, weighted and capped."""
    return weight * max(-POLARITY_CAP, min(POLARITY_CAP, polarity(question, case)))


def _kind_factors(question: str, clauses: list[Clause]) -> list[float]:
    """Each clause's factor for stating the kind of fact asked (a lead counts with the list it leads)."""
    asked = asked_types(question)
    if not asked:
        return [1.0] * len(clauses)
    led: dict[tuple[int, str], list[str]] = {}
    for c in clauses:
        if c.lead:
            led.setdefault((c.passage_rank, c.lead), []).append(c.text)
    out = []
    for c in clauses:
        text = " ".join([c.text, *led.get((c.passage_rank, c.text), [])])
        figure, manner = answers_kind(asked, text)
        out.append(1.0 + KIND_MATCH * figure + MANNER_MATCH * manner)
    return out


def _lexical(idf: dict[str, float], own: str, ctx: str, gaps: set[str], in_title: set[str]) -> tuple[float, float]:
    """The question's terms in the clause (full weight), its heading or lead, or split in it: all of them, and
    with the terms of the policy's title at half weight (they tell its clauses apart little)."""
    lexical = inside = 0.0
    for t, weight in idf.items():
        weight = weight if t in own else CONTEXT_WEIGHT * weight if t in ctx else \
            SKIP_TERM * weight if t in gaps else 0.0
        lexical += weight
        inside += weight * (TITLE_WEIGHT if t in in_title else 1.0)
    return lexical, inside


def _meaning_only(share: float, sim: float, crossed: bool, unworded_policy: bool = False) -> float:
    """Topic score of a clause sharing no word with the question. In another language than the question: the
    KB's match of its chunk and the sentence encoder's match of the clause itself. In the same language (a
    situation described in other words, "到了都化了"): the encoder's match, when it is close."""
    retrieved = CROSS_LINGUAL * share ** SHARPNESS if share >= CROSS_SHARE else 0.0
    if not crossed:
        return max(SEMANTIC * sim if sim >= SAME_FLOOR else 0.0, SAME_RETRIEVED * retrieved if unworded_policy else 0.0)
    return retrieved + CROSS_SEMANTIC * max(0.0, sim - CROSS_FLOOR)


def _chunk_shares(passage: dict[str, Any]) -> list[tuple[str, float]]:
    """The knowledge base's match of the policy's chunks to the question (share of its best chunk), best
    first; a passage without them has its retrieved chunk alone (share 1)."""
    chunks = passage.get("chunks")
    if isinstance(chunks, list) and chunks:
        return [(normalise(str(c.get("text") or "")), float(c.get("share") or 0.0))
                for c in chunks if isinstance(c, dict)]
    retrieved = str(passage.get("retrieved") or "")
    return [(normalise(retrieved), 1.0)] if retrieved else []


def _share(shares: list[tuple[str, float]], text: str) -> float:
    return next((share for chunk, share in shares if text and text in chunk), 0.0)


def _stem(term: str) -> str:
    """A long English word cut to its first letters, so "defective" finds "defect" and "delivery" "delivered"."""
    return term[:STEM] if len(term) > STEM and term.isascii() and term.isalpha() else term


def _condition_bonus(cond: Condition, c: Clause) -> float:
    """What the clause's case, its body and its heading say about the stated condition: a case or a section
    naming the customer's value lifts the clause, one naming another value lowers it; a range that holds
    the stated quantity counts double ("签收后第31天至第90天" for "买了两个月")."""
    # a clause without a case name is as good as its best part (the answer is cut to it)
    parts = [label_text(c)] if c.label else segments(c.text) or [c.text]
    total = max(_weighted(fit_by_kind(cond, part)) for part in parts) + fit(cond, c.heading)
    # a body of parts that are cases of their own ("服务费8元；满2000元免收") is as good as its best part
    return total + 0.25 * max((fit(cond, part) for part in segments(c.body)), default=0.0) if c.label else total


def _weighted(fits: dict[str, float]) -> float:
    return sum(0.5 * v if k != "quantity" else v for k, v in fits.items())
