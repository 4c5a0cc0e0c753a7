"""Which cases of a rule answer: the siblings of a list, or the parts of one sentence, that fit what the
customer said (graph/generation/conditions.py), or all of them when the customer named no condition."""

from __future__ import annotations

import math
import re

from graph.generation.clauses import Clause
from graph.generation.conditions import (
    WITHIN,
    Condition,
    fit,
    fit_by_kind,
    mentions,
    other_at,
    quantities,
    specificity,
)
from graph.generation.polarity import contested, polarity, sides
from graph.generation.selection import question_terms
from graph.generation.text import char_ngrams
from knowledge.language import is_cjk_text

STATED = 1.5
"""A case whose fit reaches this was named by the customer; below it, no case was."""
RELEVANT = 0.5
"""A sibling whose topic scores this share of the best clause's is a case of the same rule."""
CASE_WORD_CHARS = 4
SIBLING_WORDS = 0.6
"""A word only one item of a list carries names its case less surely than a place, product or range."""
MAX_LISTED = 14
CASE_POLARITY = 0.75
"""Weight of each agreement (less conflict) of what the customer and a case negate ("没买运费险" / "无运费险")
in the fit of the case; POLARITY_CAP of them reach STATED."""
POLARITY_CAP = 2
META = {"什么", "条件", "情况", "哪些", "怎么", "如何", "多少", "多久", "可以", "能不", "不能", "是否", "要求", "满足",
        "一般", "请问", "你们", "我们", "的话", "时候", "吗", "呢", "一下", "几天", "几年"}
"""Question words: they ask, they name no topic and no case."""
_SEGMENT_MAJOR = re.compile(r"(?<=[；;])")
_SEGMENT_MINOR = re.compile(r"(?<=[，、,。])|(?=（[^（）]*\d[^（）]*）)")
_NAMED_PART = re.compile(r"^[^：:，,。\d]{2,12}[：:]")
"""A part that opens with a case name of its own ("跨境保税商品保修：")."""
_LEAD_OF_CASES = re.compile(r"(?:如下|以下)[：:]|。[^。：:]{0,30}[：:]")
"""The end of a sentence that leads the cases after it inside one part ("…收费如下：吸顶灯每盏50元；"): the lead
is context, not a case."""
FIGURE = re.compile(r"\d|[一二两三四五六七八九十百千]+(?:天|年|个月|小时|元|倍|期|次)|免费|免[^，。；,;\d]{1,4}费|不收|"
                    r"不支持|不能")


def label_text(c: Clause) -> str:
    return c.label or c.text


def without_title(cond: Condition, title: str) -> Condition:
    """The condition less what the policy or list as a whole is about: a kind whose very value the title
    names ("gift card" in "Anju gift cards", 热水器 in "热水器材料费"; a wider one, 大件, is still a case)."""
    named = {kind for kind, value, _ in mentions(title) if value in cond.exact.get(kind, ())}
    if not named:
        return cond
    return Condition({k: v for k, v in cond.values.items() if k not in named},
                     {k: v for k, v in cond.exact.items() if k not in named}, cond.quantities)


def _mapped(question: str) -> set[str]:
    """Policy terms the question's English or everyday words stand for ("same city" -> 同一, 城市)."""
    said = grams(question)
    return {t for t in question_terms(question, None) if t not in said and not t.isascii() and len(t) >= 2}


def grams(text: str) -> set[str]:
    """The text's character pairs less question words and digits."""
    return {g for g in char_ngrams(text, sizes=(2,)) if g not in META and not g.isdigit()}




def _case_fits(question: str, group: list[Clause], cond: Condition, word_weight: float = 1.0,
               title: str = "", lead_chars: int = 0) -> list[float]:
    """How well each sibling fits the stated condition (values, ranges, and words only it carries); a value
    or word the policy's title or the list's heading already names ("热水器材料费") is what the list is
    about, not a case."""
    about = " ".join({c.heading + " " + c.lead for c in group} | {title})
    cond = without_title(cond, about)
    negated = sides(question)[0]  # "没去医院" names no case that requires a hospital: polarity weighs it
    asked = {g for g in grams(question) | _mapped(question) if not set(g) <= negated}
    topic = grams(about)
    # parts of one sentence name their case first ("柜机400元", "银卡1.2倍"): only their first words count
    own = [(grams(label_text(c)[:lead_chars] if lead_chars else label_text(c)),
            grams(c.body) if c.label else set()) for c in group]
    n = len(group)
    fits = []
    for label, body in own:
        words = 0.0
        for g in (asked - topic) & (label | body):
            k = sum(1 for lab, bod in own if g in lab or g in bod)
            if k < n:
                words += math.log(1 + n / k) * (1.5 if g in label else 1.0)
        fits.append(words)
    # cases named by a label that states no condition ("一区：四川、重庆；6元/单") are told apart by their text
    plain_labels = not any(mentions(label_text(c)) or quantities(label_text(c), True) for c in group)
    kinds = [_kind_fits(cond, c, plain_labels) for c in group]
    polar = _polarities(question, group) if lead_chars == 0 else [0] * n
    for i, c in enumerate(group):
        fits[i] = fits[i] * word_weight + sum(kinds[i].values()) + (0.25 * fit(cond, c.body) if c.label else 0.0)
        fits[i] += CASE_POLARITY * max(-POLARITY_CAP, min(POLARITY_CAP, polar[i]))
    for kind in cond.values:  # nobody names the customer's place: the "other places" case is theirs
        if not any(k.get(kind, 0) > 0 for k in kinds):
            for i, c in enumerate(group):
                if other_at(label_text(c)) >= 0 and kinds[i].get(kind, 0) >= 0:
                    fits[i] += WITHIN
    return fits


def _polarities(question: str, group: list[Clause]) -> list[int]:
    """Each case's polarity agreement with the question (graph/generation/polarity.py), by its label."""
    labels = [c.label for c in group]
    return [polarity(question, t, against) if t else 0 for t, against in zip(labels, contested(labels), strict=True)]


def _kind_fits(cond: Condition, c: Clause, by_text: bool) -> dict[str, float]:
    """The case's fit by its label, or by the values its whole text names (its figures are consequences)."""
    fits = fit_by_kind(cond, label_text(c))
    if by_text:
        fits.update({k: v for k, v in fit_by_kind(cond, c.text).items() if k != "quantity"})
    return fits


def narrow(question: str, group: list[Clause], cond: Condition, title: str, best: Clause,
            topic: dict[Clause, float]) -> tuple[list[Clause], bool]:
    """The siblings that answer: those fitting the stated condition, else all of them (listed). A list of
    different subjects ("积分倍率", "生日券") is no list of cases: only siblings about the question's topic
    may be picked by the condition, and with a condition none of them fits, the best clause answers alone."""
    if len(group) < 2:
        return group, False
    cond = _on_dimensions(cond, _dimensions(group))
    fits = _case_fits(question, group, cond, SIBLING_WORDS, title)
    agrees = [p > 0 for p in _polarities(question, group)]  # a case the customer's yes/no matches is on topic
    relevant = [topic.get(c, 0.0) >= RELEVANT * topic.get(best, 0.0) or c is best or a
                for c, a in zip(group, agrees, strict=True)]
    top = max((f for f, r in zip(fits, relevant, strict=True) if r), default=0.0)  # best may sit outside the list
    stated = without_title(cond, " ".join({c.heading + " " + c.lead for c in group} | {title}))
    if top < STATED and stated and not all(relevant):
        return [best], False
    if top >= STATED:
        chosen = [c for c, f, r in zip(group, fits, relevant, strict=True) if r and f >= max(STATED, 0.6 * top)]
        if len(chosen) > 1 and cond.quantities:  # tiers that all fit ("满800" and "满3000"): the highest
            high = max(specificity(label_text(c), cond) for c in chosen)
            chosen = [c for c in chosen if specificity(label_text(c), cond) == high] or chosen
        if not _side_note(group, chosen, cond):
            return _with_stated_case(group, chosen, fits, cond), False
        return group[:MAX_LISTED], True  # the list's cases differ by what the customer did not say: all of them
    listed = [c for c in group if topic.get(c, 0.0) > 0 or c is best]  # every case that touches the question
    return (listed[:MAX_LISTED], True) if len(listed) > 1 else ([best], False)


def _dimensions(group: list[Clause]) -> set[str]:
    """The kinds the cases of a list differ by: those that two or more siblings name a value of."""
    named = [{kind for kind, _, _ in mentions(label_text(c))} for c in group]
    return {kind for kind in set().union(*named) if sum(kind in n for n in named) >= 2}


def _on_dimensions(cond: Condition, dims: set[str]) -> Condition:
    """The stated condition kept to the kinds the list's cases differ by, when the customer named one of them
    (a product a side note names, "冰箱旺季…", does not outweigh the place that picks the case)."""
    if not dims & set(cond.values) or not set(cond.values) - dims:
        return cond
    return Condition({k: v for k, v in cond.values.items() if k in dims},
                     {k: v for k, v in cond.exact.items() if k in dims}, cond.quantities)


def _with_stated_case(group: list[Clause], chosen: list[Clause], fits: list[float], cond: Condition) -> list[Clause]:
    """A modifier picked by one condition ("旺季…各延长24小时" for "7月") joined by the case the customer's
    other condition names in the same list ("其他省份：72小时" for 武汉): both together answer."""
    dims = _dimensions(group) & set(cond.values)
    if not dims or any(fit_by_kind(cond, label_text(c)).get(k, 0) > 0 for c in chosen for k in dims):
        return chosen
    on_dim = [(f, i) for i, (c, f) in enumerate(zip(group, fits, strict=True)) if c not in chosen
              and (other_at(label_text(c)) >= 0 or any(k in dims for k, _, _ in mentions(label_text(c))))]
    if not on_dim:
        return chosen
    best = max(on_dim)
    if best[0] <= 0 or sum(f == best[0] for f, _ in on_dim) > 1:
        return chosen
    return sorted([*chosen, group[best[1]]], key=group.index)


def _side_note(group: list[Clause], chosen: list[Clause], cond: Condition) -> bool:
    """The one sibling picked only names the customer's value of a kind the list's cases do not differ by
    ("空调旺季：各延长24小时" among cases by place, for "空调多久上门"): the customer named no case of it."""
    if len(chosen) != 1:
        return False
    dims = _dimensions(group)
    picked_by = {kind for kind, v in fit_by_kind(cond, label_text(chosen[0])).items() if v > 0}
    return bool(dims and picked_by) and not (dims & (set(cond.values) | picked_by)) and "quantity" not in picked_by


def segments(body: str) -> list[str]:
    """The parts of a clause's body: split at semicolons, else at commas (never inside brackets)."""
    parts = _balanced([p for p in _SEGMENT_MAJOR.split(body) if p.strip()])
    if len(parts) < 2:
        parts = _balanced([p for p in _SEGMENT_MINOR.split(body) if p.strip()])
    return parts


def _balanced(parts: list[str]) -> list[str]:
    """Parts rejoined where a split fell inside brackets ("（按最高一档计算，不累加）" stays one part)."""
    out: list[str] = []
    depth = 0
    for part in parts:
        if depth > 0 and out:
            out[-1] += part
        else:
            out.append(part)
        depth = max(0, depth + sum(part.count(o) for o in "（(") - sum(part.count(c) for c in "）)"))
    return out


def trim(clause: Clause, question: str, cond: Condition, title: str = "") -> str:
    """The clause cut to the parts that fit the condition when its parts are cases of their own."""
    body = clause.body
    parts = [piece for part in segments(body) for piece in _without_lead(part)]
    cases = [p for p in parts if FIGURE.search(p)]
    if len(cases) < 2 or not is_cjk_text(body):
        return clause.text
    fits = dict(zip(cases, _case_fits(question, [_as_clause(p) for p in cases], cond, 1.0,
                                      f"{title} {clause.heading} {clause.lead} {clause.label}", CASE_WORD_CHARS),
                    strict=True))
    top = max(fits.values())
    if top < STATED:  # no part names the customer's case: drop only those naming another one
        if top < 0 or min(fits.values()) >= 0:
            return clause.text
        kept = [p for p in parts if fits.get(p, 0.0) >= 0]
    else:
        chosen = [p for p in cases if fits[p] >= max(STATED, 0.6 * top)]
        if len(chosen) > 1 and cond.quantities:  # tiers that all fit ("满1000元减80元", "满3000元减300元")
            high = max(specificity(p, cond) for p in chosen)
            chosen = [p for p in chosen if specificity(p, cond) == high]
        # a part stating no condition right after the chosen one is its consequence ("1-3天的，补偿5元"); one
        # with a case name of its own, or after a semicolon, is a parallel case ("国内行货保修：2年；跨境…：6个月")
        kept = [p for i, p in enumerate(parts) if p not in fits or p in chosen
                or (fits[p] == 0 and i > 0 and parts[i - 1] in chosen and not _NAMED_PART.match(p)
                    and not parts[i - 1].rstrip().endswith(("；", ";")))]
    text = "".join(kept).strip("，、,；; ")
    return f"{clause.label}：{text}" if clause.label else text


def _without_lead(part: str) -> list[str]:
    """A part split after a sentence that leads the cases following it, else the part whole."""
    m = _LEAD_OF_CASES.search(part)
    return [part[:m.end()], part[m.end():]] if m and part[m.end():].strip() else [part]


def _as_clause(text: str) -> Clause:
    return Clause(0, 0, text, "", "", "", 0)
