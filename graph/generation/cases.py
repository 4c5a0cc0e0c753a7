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

import re
from dataclasses import dataclass, field
from typing import Any

from graph.generation.asking import asked_list
from graph.generation.clauses import Clause, parse_clauses, siblings
from graph.generation.conditions import Condition, condition_of, fit, fit_by_kind
from graph.generation.narrowing import FIGURE, STATED, label_text, narrow, trim
from graph.generation.semantic import similarities
from graph.generation.text import normalise
from graph.generation.topic import SEMANTIC_FLOOR, Scored, topic_scores

SECOND_POLICY = 0.75
NEIGHBOUR = 0.5
"""A sentence next to the chosen prose sentence joins it when it scores this share of the best."""
_OTHER_CASE = re.compile(r"^(?:不满|未满|不足|不超过|超过|否则|其他|otherwise|below|under|over)", re.I)
EXTRA_TOPIC = 0.3
"""A case of another list that fits the stated condition joins when its topic scores this share of the best."""

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


def _neighbours(scored: list[Scored], best: Scored) -> list[Clause]:
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
    if c.has_children or c.group >= 0:
        return []
    # the lead is the whole line above the list; a sentence of it leads it too ("…提交凭证。不同商品时限不同：")
    kids = [k for k in clauses if k.passage_rank == c.passage_rank and k.lead and c.text in k.lead
            and k.position > c.position]
    return [k for k in kids if k.group == kids[0].group] if kids else []


def _pick(question: str, scored: list[Scored], best: Scored, clauses: list[Clause], cond: Condition,
          title: str) -> Pick:
    group = _led(best.clause, clauses) or siblings(clauses, best.clause)
    lead_is_best = bool(group) and bool(group[0].lead) and best.clause.text in group[0].lead
    if best.clause.group < 0 and not lead_is_best:
        prose = _neighbours(scored, best)
        return Pick(best.clause.passage_rank, "", [trim(c, question, cond, title) for c in prose],
                    [c.text for c in prose], best.score, False, [c.position for c in prose])
    topic = {s.clause: 0.0 if s.by_meaning and s is not best else s.plain for s in scored}
    chosen, listed = narrow(question, group, cond, title, best.clause, topic)
    if lead_is_best and not any(c in group for c in chosen):  # nothing singled out: the lead's whole list
        chosen, listed = group, True
    context = group[0].lead.rstrip("：: 。.") if lead_is_best else (
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
    scored = sorted(topic_scores(question, clauses, passages, intent, cond), key=lambda s: -s.score)
    strength: dict[int, float] = {}
    for s in scored:
        strength[s.clause.passage_rank] = max(strength.get(s.clause.passage_rank, 0.0), s.plain)
    ranked = sorted(strength, key=lambda rank: -strength[rank])
    if not ranked or strength[ranked[0]] <= 0:
        return (_lead_of_a_close_rule(question, scored, clauses, cond, passages)
                or _closest_in_meaning(question, scored, clauses, cond, passages))
    best = _listed_if_asked(question, scored, next(s for s in scored if s.clause.passage_rank == ranked[0]), clauses)
    titles = [str(p.get("title") or "") for p in passages]
    picks = [_pick(question, scored, best, clauses, cond, titles[ranked[0]])]
    if len(ranked) > 1 and strength[ranked[1]] >= SECOND_POLICY * strength[ranked[0]]:
        second = next(s for s in scored if s.clause.passage_rank == ranked[1])
        picks.append(_pick(question, scored, second, clauses, cond, titles[ranked[1]]))
    return picks + _condition_extra(question, scored, picks, clauses, cond, titles)


LEAD_SCORE = 0.45
"""A retrieved policy this close to the message (the KB's score; graph/relevance.RELEVANT_SCORE, on topic
whatever the intent) answers a situation that shares no word with any of its clauses ("不想要了", "钱还没回来"):
its opening rule is quoted."""


def _lead_of_a_close_rule(question: str, scored: list[Scored], clauses: list[Clause], cond: Condition,
                          passages: list[dict[str, Any]]) -> list[Pick]:
    """The clause of the best retrieved policy that the KB matched (else its first) when the message describes a
    situation, the KB put the policy close to it and no clause shares a word with it; nothing when the policy is
    not that close."""
    from graph.dialogue_acts import describes_situation

    if not describes_situation(question):  # a question or noise that shares no word is not answered by it
        return []
    try:
        close = float(passages[0].get("score") or 0.0) >= LEAD_SCORE
    except (TypeError, ValueError):
        return []
    first = _retrieved_clause(question, clauses, str(passages[0].get("retrieved") or ""))
    if not close or first is None:
        return []
    lead = next(s for s in scored if s.clause is first)
    return [_pick(question, scored, lead, clauses, cond, str(passages[0].get("title") or ""))]


MEANING_FLOOR = SEMANTIC_FLOOR
"""A message sharing no word with any clause is answered by the clause of the best retrieved policy that the
sentence encoder puts this close to it (the floor of a same-language match in graph/generation/topic.py)."""


def _closest_in_meaning(question: str, scored: list[Scored], clauses: list[Clause], cond: Condition,
                        passages: list[dict[str, Any]]) -> list[Pick]:
    """The clause of the best retrieved policy closest in meaning to a message that shares no word with any
    ("瓶子到手就是碎的" / "玻璃瓶破碎：补发新品或全额退款"), with its list; nothing when none is that close."""
    own = [c for c in clauses if c.passage_rank == 0]
    if not own:
        return []
    sims = similarities(question, [c.text for c in own])
    best = max(range(len(own)), key=lambda i: sims[i])
    if sims[best] < MEANING_FLOOR:
        return []
    lead = next(s for s in scored if s.clause is own[best])
    return [_pick(question, scored, lead, clauses, cond, str(passages[0].get("title") or ""))]


_FUNCTION_CHARS = set("的了吗呢啊吧呀哦嘛么我你您他她它们是在有不没这那就都还要会能可以和与或也很太给让把被个一想")
_BARE = re.compile(r"[\s*_`#>：:，,。；;.!！?？、]+")


def _retrieved_clause(question: str, clauses: list[Clause], retrieved: str) -> Clause | None:
    """The clause of the best policy inside the passage the KB retrieved for the message when it names something
    the message does ("漏液超过三分之一：补发新品或全额退款" for "盒子里那瓶漏了一半"); else the policy's first
    clause, which introduces all its cases ("不想要了" states no case)."""
    own = [c for c in clauses if c.passage_rank == 0]
    chunk = _BARE.sub("", retrieved)
    said = set(re.findall(r"[\u3400-\u9fff]", question)) - _FUNCTION_CHARS
    inside = [c for c in own if chunk and len(_BARE.sub("", c.text)) >= 4 and _BARE.sub("", c.text) in chunk
              and said & set(c.label or c.text)]
    return max(inside, key=lambda c: len(c.text)) if inside else (own[0] if own else None)


def _listed_if_asked(question: str, scored: list[Scored], best: Scored, clauses: list[Clause]) -> Scored:
    """The list of the best policy that names what a which-ones question asks for, instead of `best`."""
    if best.clause.has_children:
        return best
    first = asked_list(question, clauses, best.clause)
    return next((s for s in scored if s.clause is first), best) if first is not None else best


def _condition_extra(question: str, scored: list[Scored], picks: list[Pick], clauses: list[Clause],
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
