"""Pick the clauses of the retrieved policies that answer the question, case by case.

1. Every clause (graph/generation/clauses.py) is scored for the question's topic: question n-grams
   weighted by rarity, in the clause itself and (less) in its heading and lead, plus the kind of figure
   asked for and how well the clause fits the stated condition.
2. The best clause's list (its siblings, or its children when it leads a nested list) is narrowed to the
   cases that fit what the customer said (graph/generation/narrowing.py): a named place, product, payment
   method, member level or order state, a duration, amount, floor or size inside the stated range, or a
   word only that case carries. A list where no case fits is given whole: the customer named no
   condition, so every case is the answer.
3. Inside a chosen clause, figure-bearing parts that name another case ("银卡20元、金卡50元") are cut.
4. A second policy joins when its topic scores nearly as well; a case of another list (or policy) joins
   when the stated condition singles it out (payment method + refund timing).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from graph.generation.asking import asked_list, skip_bigrams
from graph.generation.clauses import Clause, parse_clauses, siblings
from graph.generation.conditions import Condition, condition_of, fit, fit_by_kind, without_mentions
from graph.generation.narrowing import FIGURE, META, STATED, label_text, narrow, segments, trim, without_title
from graph.generation.selection import kind_bonus, question_terms
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
SHARPNESS = 4
"""The KB's match share of a clause's chunk counts as share ** SHARPNESS (the best chunk 1, a weak one ~0)."""
CROSS_SHARE = 0.8
"""A clause of a policy in another language is a candidate when its chunk matched this share of the best."""
CROSS_LINGUAL = 1.0
"""Topic score of the clause the knowledge base retrieved from a policy in another language than the question
(its dense match crossed the languages; no word of the question can)."""
"""Bonus of the clause the knowledge base itself retrieved (its dense match knows synonyms we don't)."""
SECOND_POLICY = 0.75
KIND_WORDS = {"place": ("省份", "地区", "省内", "城市")}
STEM = 5
NEIGHBOUR = 0.5
"""A sentence next to the chosen prose sentence joins it when it scores this share of the best."""
_OTHER_CASE = re.compile(r"^(?:不满|未满|不足|不超过|超过|否则|其他|otherwise|below|under|over)", re.I)
EXTRA_TOPIC = 0.3
"""A case of another list that fits the stated condition joins when its topic scores this share of the best."""
SKIP_TERM = 0.5
"""Weight of two Chinese characters one apart in the question or in the clause ("时间段" finds "时段",
"发新的" finds "发出新货")."""
@dataclass
class Pick:
    """The clauses of one policy that go into the answer."""

    passage_rank: int
    context: str
    """Heading or lead to name before the clauses ("" when they read alone)."""
    items: list[str]
    sources: list[str]
    """The clauses as written (the items may be cut to the part that fits)."""
    score: float
    listed: bool = False
    """True when all cases of a rule are listed (no condition stated)."""
    positions: list[int] = field(default_factory=list)
    by_condition: bool = False
    """Joined because the stated condition singles this case out (not for its topic)."""


@dataclass
class _Scored:
    clause: Clause
    score: float
    """Topic and condition together: which clause of a policy answers."""
    lexical: float
    plain: float = 0.0
    """Topic alone: which policy answers (a condition names cases, not policies)."""


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


def _topic_scores(question: str, clauses: list[Clause], passages: list[dict[str, Any]], intent: str | None,
                  cond: Condition) -> list[_Scored]:
    terms = _question_terms(question, cond)
    texts = [(c.text.lower(), f"{c.heading} {c.lead}".lower()) for c in clauses]
    plain = set(char_ngrams(question, sizes=(2,)))  # a bigram the question writes may be split in the clause
    gapped = [skip_bigrams(c.text) & plain for c in clauses]  # "发新" in "发出新货"
    n = len(clauses)
    df = {t: sum(1 for (own, ctx), gaps in zip(texts, gapped, strict=True) if t in own or t in ctx or t in gaps)
          for t in terms}
    idf = {t: w * math.log(1 + n / (1 + df[t])) for t, w in terms.items() if df[t]}
    in_title = [{t for t in idf if t in str(p.get("title") or "").lower()} for p in passages]
    top = max(float(p.get("score") or 0.0) for p in passages) or 1.0
    shares = [_chunk_shares(p) for p in passages]
    local = [without_title(cond, str(p.get("title") or "")) for p in passages]
    question_cjk = is_cjk_text(question)
    out = []
    for c, (own, ctx), gaps in zip(clauses, texts, gapped, strict=True):
        lexical = inside = 0.0
        for t, weight in idf.items():
            weight = weight if t in own else CONTEXT_WEIGHT * weight if t in ctx else \
                SKIP_TERM * weight if t in gaps else 0.0
            lexical += weight
            # what the whole policy is about (its title) tells its clauses apart little
            inside += weight * (TITLE_WEIGHT if t in in_title[c.passage_rank] else 1.0)
        share = _share(shares[c.passage_rank], normalise(c.text))
        if lexical <= 0 and share >= CROSS_SHARE and is_cjk_text(c.text) != question_cjk:
            # a policy in another language: its words are not the question's, the KB's match crossed over
            lexical = inside = CROSS_LINGUAL * share ** SHARPNESS
        if lexical <= 0:
            out.append(_Scored(c, 0.0, lexical))
            continue
        prior = (float(passages[c.passage_rank].get("score") or 0.0) / top) ** PRIOR_POWER
        # a figure in the case name is its condition ("使用8年以上："), the answer is in the body
        bonus = kind_bonus(c.body, question) + RETRIEVED_BONUS * share ** SHARPNESS
        condition = _condition_bonus(local[c.passage_rank], c)
        out.append(_Scored(c, max(0.0, inside + bonus + condition) * prior, lexical, (lexical + bonus) * prior))
    return out


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


def _with_children(text: str, c: Clause, clauses: list[Clause]) -> str:
    """An item that leads a nested list, with the items of that list ("无电梯的楼房，按…收费：大家电…；沙发…")."""
    if not c.has_children:
        return text
    kids = siblings(clauses, c)
    if not kids or kids[0] is c:
        return text
    return text.rstrip("：: ") + "：" + "；".join(k.text.rstrip("。；; ") for k in kids)


def _leads(c: Clause, clauses: list[Clause], used: set[tuple[int, int]]) -> bool:
    """`c` leads a nested list one of whose items the answer already holds (it is that item's context)."""
    if not c.has_children:
        return False
    kids = siblings(clauses, c)
    return bool(kids) and kids[0] is not c and any((k.passage_rank, k.position) in used for k in kids)


def _neighbours(scored: list[_Scored], best: _Scored) -> list[Clause]:
    """A prose clause with the sentences next to it in its section that also answer the question, and the
    sentence right after it when that states a figure (a rule is often followed by its consequence), unless
    it opens with the other case ("不满99元的…")."""
    rank, position = best.clause.passage_rank, best.clause.position
    extra = []
    for s in scored:
        c = s.clause
        if c.passage_rank != rank or c.group >= 0 or c.heading != best.clause.heading or c is best.clause:
            continue
        answers = abs(c.position - position) == 1 and s.lexical > 0 and s.score >= NEIGHBOUR * best.score
        consequence = c.position == position + 1 and FIGURE.search(c.text) and not _OTHER_CASE.match(c.text)
        if answers or consequence:
            extra.append(c)
    return sorted([best.clause, *extra], key=lambda c: c.position)


def _led(c: Clause, clauses: list[Clause]) -> list[Clause]:
    """The list a clause leads ("…没有收到包裹时：" then "1. … 2. …"): a lead is never quoted alone."""
    if c.has_children or not c.text.rstrip().endswith(("：", ":")):
        return []
    kids = [k for k in clauses if k.passage_rank == c.passage_rank and k.lead == c.text and k.position > c.position]
    return [k for k in kids if k.group == kids[0].group] if kids else []


def _pick(question: str, scored: list[_Scored], best: _Scored, clauses: list[Clause], cond: Condition,
          title: str) -> Pick:
    group = _led(best.clause, clauses) or siblings(clauses, best.clause)
    lead_is_best = bool(group) and group[0].lead == best.clause.text
    if best.clause.group < 0 and not lead_is_best:
        prose = _neighbours(scored, best)
        return Pick(best.clause.passage_rank, "", [trim(c, question, cond, title) for c in prose],
                    [c.text for c in prose], best.score, False, [c.position for c in prose])
    topic = {s.clause: s.plain for s in scored}
    chosen, listed = narrow(question, group, cond, title, best.clause, topic)
    if lead_is_best and not any(c in group for c in chosen):  # nothing singled out: the lead's whole list
        chosen, listed = group, True
    context = best.clause.text.rstrip("：: ") if lead_is_best else (
        chosen[0].context if chosen[0].group >= 0 else "")
    items = [_with_children(trim(c, question, cond, title), c, clauses) for c in chosen]
    return Pick(best.clause.passage_rank, context, items, [c.text for c in chosen], best.score, listed,
                [c.position for c in chosen])


def select_cases(question: str, passages: list[dict[str, Any]], intent: str | None,
                 condition_text: str = "") -> list[Pick]:
    """The clauses that answer `question`, per policy, best policy first (empty: nothing answers it).
    `condition_text` adds what the dialogue already knows (slots, the order in play) to the condition."""
    question = normalise(question)
    cond = condition_of(f"{question} {condition_text}".strip())
    clauses = [c for rank, p in enumerate(passages)
               for c in parse_clauses(str(p.get("text") or ""), rank, str(p.get("title") or ""))]
    if not clauses:
        return []
    scored = sorted(_topic_scores(question, clauses, passages, intent, cond), key=lambda s: -s.score)
    strength: dict[int, float] = {}
    for s in scored:
        strength[s.clause.passage_rank] = max(strength.get(s.clause.passage_rank, 0.0), s.plain)
    ranked = sorted(strength, key=lambda rank: -strength[rank])
    if not ranked or strength[ranked[0]] <= 0:
        return []
    best = _listed_if_asked(question, scored, next(s for s in scored if s.clause.passage_rank == ranked[0]), clauses)
    titles = [str(p.get("title") or "") for p in passages]
    picks = [_pick(question, scored, best, clauses, cond, titles[ranked[0]])]
    if len(ranked) > 1 and strength[ranked[1]] >= SECOND_POLICY * strength[ranked[0]]:
        second = next(s for s in scored if s.clause.passage_rank == ranked[1])
        picks.append(_pick(question, scored, second, clauses, cond, titles[ranked[1]]))
    return picks + _condition_extra(question, scored, picks, clauses, cond, titles)


def _listed_if_asked(question: str, scored: list[_Scored], best: _Scored, clauses: list[Clause]) -> _Scored:
    """The list of the best policy that names what a which-ones question asks for, instead of `best`."""
    if best.clause.has_children:
        return best
    first = asked_list(question, clauses, best.clause)
    return next((s for s in scored if s.clause is first), best) if first is not None else best


def _condition_extra(question: str, scored: list[_Scored], picks: list[Pick], clauses: list[Clause],
                     cond: Condition, titles: list[str]) -> list[Pick]:
    """The cases of other lists (in the policies answering, then in another retrieved one) that the stated
    condition singles out, when the answer so far does not include them ("质量问题退货，信用卡付的，多久到账":
    the refund-time case of 信用卡; "买了两个月的冰箱坏了": the case of day 31 to 90)."""
    if not cond:
        return []
    used = {(p.passage_rank, pos) for p in picks for pos in p.positions}
    answering = {p.passage_rank for p in picks}
    topic = {(s.clause.passage_rank, s.clause.position): s.score for s in scored}
    best_topic = scored[0].score or 1.0
    groups: dict[tuple[int, int], list[Clause]] = {}
    for c in clauses:
        if c.group >= 0:
            groups.setdefault((c.passage_rank, c.group), []).append(c)
    found: list[tuple[float, Clause]] = []
    for group in groups.values():
        if len(group) < 2 or any((c.passage_rank, c.position) in used or _leads(c, clauses, used) for c in group):
            continue
        fits = [sum(fit_by_kind(cond, label_text(c)).values()) + 0.5 * fit(cond, c.heading) for c in group]
        top = max(fits)
        winners = [c for c, f in zip(group, fits, strict=True) if f == top]
        relevance = topic[(winners[0].passage_rank, winners[0].position)] / best_topic
        if top >= STATED and len(winners) == 1 and relevance >= EXTRA_TOPIC:
            found.append((top + relevance, winners[0]))
    extras: list[Pick] = []
    for inside in (True, False):  # at most one from the policies answering and one from another
        pool = [f for f in found if (f[1].passage_rank in answering) == inside]
        if pool:
            c = max(pool, key=lambda f: f[0])[1]
            text = _with_children(trim(c, question, cond, titles[c.passage_rank]), c, clauses)
            extras.append(Pick(c.passage_rank, c.context, [text],
                               [c.text], topic[(c.passage_rank, c.position)], False, [c.position],
                               by_condition=True))
    return extras
