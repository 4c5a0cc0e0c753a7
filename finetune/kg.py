"""The shop knowledge graph (KG) and where a text realises its facts.

Facts are (subject, relation, value) triples of two kinds:
- numeric: a number with a unit (7 天, 1-3 个工作日, 99 元) tied to cue words (无理由, 支付宝…);
- polarity: an action is allowed or not for a subject (生鲜 → 七天无理由: not allowed;
  已发货 → 取消: not allowed), one fact per catalogue category plus the order-status rules.

Sources, in order: finetune/data/shop_facts.yaml, the catalogue's categories, then the knowledge
base's demo policies (knowledge/demo_policies/*.md) — a number a policy states for a fact's cue
overrides the default, so the KG follows the policies the shop actually serves.

`kg_targets(text)` returns the decision points the KG loss trains (see finetune/losses.py), and
`check_text(text)` the contradictions the data pipeline and the reward use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from finetune.resources import POLICIES_DIR, catalogue, load_yaml

_NUM = re.compile(r"(\d+(?:\.\d+)?(?:\s*(?:-|~|～|到|至)\s*\d+)?)\s*(个工作日|工作日|小时|天|元|块|次)")
_SENT = re.compile(r"[^。！？；!?;\n]+")
NEGATIONS = ("不支持", "不能", "不可以", "不可", "无法", "不予", "不适用")
AFFIRMATIONS = ("支持", "可以", "能")
UNIT_ALIASES = {"工作日": "个工作日", "块": "元"}


@dataclass(frozen=True)
class NumericFact:
    """A number with a unit that the shop's rules fix (e.g. no-reason return: 7 天)."""

    id: str
    subject: str
    relation: str
    value: str
    unit: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class PolarityFact:
    """Whether an action is allowed for a subject (e.g. 生鲜 / 七天无理由 / False)."""

    id: str
    subjects: tuple[str, ...]
    actions: tuple[str, ...]
    allowed: bool


@dataclass(frozen=True)
class Target:
    """A KG decision point in a text: at `start`, the KG value `gold` competes with `competitors`."""

    start: int
    end: int
    fact_id: str
    written: str
    gold: str
    competitors: tuple[str, ...]

    @property
    def consistent(self) -> bool:
        """Whether the text writes the KG value here."""
        return self.written == self.gold


@dataclass
class KnowledgeGraph:
    """The facts, with the policy overrides that were applied."""

    numeric: list[NumericFact]
    polarity: list[PolarityFact]
    overrides: list[dict[str, str]] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        """Fact id -> value (numeric facts), for templates that state the rules."""
        return {f.id: f.value for f in self.numeric}

    def triples(self) -> list[tuple[str, str, str]]:
        """All facts as (subject, relation, value) triples."""
        out = [(f.subject, f.relation, f"{f.value}{f.unit}") for f in self.numeric]
        out += [
            (f.subjects[0], f.actions[0], "allowed" if f.allowed else "not_allowed") for f in self.polarity
        ]
        return out

    def targets(self, text: str) -> list[Target]:
        """Decision points of `text` where it realises a KG fact."""
        return numeric_targets(self, text) + polarity_targets(self, text)

    def check_text(self, text: str) -> list[Target]:
        """The decision points where `text` contradicts the KG."""
        return [t for t in self.targets(text) if not t.consistent]


def _norm_value(raw: str) -> str:
    return re.sub(r"\s*(?:-|~|～|到|至)\s*", "-", raw.strip())


def _cue_matches(kg: KnowledgeGraph, sentence: str, unit: str) -> list[tuple[int, int, NumericFact]]:
    """(start, end, fact) of each cue of a `unit` fact in the sentence; a cue inside a longer cue
    match (运费 inside 运费险 or 免运费) is dropped."""
    low = sentence.lower()
    found = [
        (m.start(), m.end(), fact)
        for fact in kg.numeric
        if fact.unit == unit
        for cue in fact.cues
        for m in re.finditer(re.escape(cue.lower()), low)
    ]
    return [
        (s, e, f)
        for s, e, f in found
        if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) and f2 is not f for s2, e2, f2 in found)
    ]


def _assign(
    kg: KnowledgeGraph, sentence: str, mentions: list[re.Match[str]], unit: str
) -> dict[int, NumericFact]:
    """Mention start -> fact: each mention takes its nearest cue, and only when no other mention of
    the same unit is nearer to that cue ("不满99元的订单收取运费8元": 运费 is 8, not 99)."""
    cues = _cue_matches(kg, sentence, unit)
    starts = [m.start() for m in mentions]
    out: dict[int, NumericFact] = {}
    for pos in starts:
        ranked = sorted(cues, key=lambda c: (abs(c[0] - pos), -(c[1] - c[0])))
        for cue_start, _end, fact in ranked:
            if min(starts, key=lambda p: abs(p - cue_start)) == pos:
                out[pos] = fact
                break
    return out


def numeric_targets(kg: KnowledgeGraph, text: str) -> list[Target]:
    """Number+unit mentions that a cue ties to a numeric fact."""
    out: list[Target] = []
    for sent in _SENT.finditer(text):
        by_unit: dict[str, list[re.Match[str]]] = {}
        for m in _NUM.finditer(sent.group(0)):
            by_unit.setdefault(UNIT_ALIASES.get(m.group(2), m.group(2)), []).append(m)
        for unit, mentions in by_unit.items():
            facts = _assign(kg, sent.group(0), mentions, unit)
            for m in mentions:
                fact = facts.get(m.start())
                if fact is None:
                    continue
                rivals = tuple(
                    sorted({f.value for f in kg.numeric if f.unit == unit and f.value != fact.value})
                )
                start = sent.start() + m.start()
                out.append(
                    Target(
                        start, start + len(m.group(1)), fact.id, _norm_value(m.group(1)), fact.value, rivals
                    )
                )
    return sorted(out, key=lambda t: t.start)


def polarity_targets(kg: KnowledgeGraph, text: str) -> list[Target]:
    """Allow/deny markers in sentences that name a polarity fact's subject and action."""
    out: list[Target] = []
    for sent in _SENT.finditer(text):
        s = sent.group(0)
        for fact in kg.polarity:
            if not any(x in s for x in fact.subjects) or not any(a in s for a in fact.actions):
                continue
            marker = _first_marker(s)
            if marker is None:
                continue
            pos, word, negative = marker
            gold = AFFIRMATIONS[0] if fact.allowed else NEGATIONS[0]
            written = NEGATIONS[0] if negative else AFFIRMATIONS[0]
            rival = NEGATIONS[0] if fact.allowed else AFFIRMATIONS[0]
            start = sent.start() + pos
            out.append(Target(start, start + len(word), fact.id, written, gold, (rival,)))
            break
    return out


def _first_marker(sentence: str) -> tuple[int, str, bool] | None:
    for i in range(len(sentence)):
        for word in NEGATIONS:
            if sentence.startswith(word, i):
                return i, word, True
        for word in AFFIRMATIONS:
            if sentence.startswith(word, i):
                return i, word, False
    return None


def _category_facts() -> list[PolarityFact]:
    facts = []
    for key, cat in catalogue()["categories"].items():
        names = tuple(n for n in (cat.get("zh"), cat.get("en")) if n)
        facts.append(
            PolarityFact(f"no_reason_return_{key}", names, ("无理由",), bool(cat.get("returnable", True)))
        )
    return facts


def build_kg(policies_dir: Path | None = POLICIES_DIR) -> KnowledgeGraph:
    """The KG from the shop facts, the catalogue and (when present) the demo policy documents."""
    raw = load_yaml("shop_facts.yaml")
    numeric = [
        NumericFact(f["id"], f["subject"], f["relation"], str(f["value"]), f["unit"], tuple(f["cues"]))
        for f in raw["numeric"]
    ]
    polarity = [
        PolarityFact(p["id"], tuple(p["subjects"]), tuple(p["actions"]), bool(p["allowed"]))
        for p in raw["polarity"]
    ] + _category_facts()
    kg = KnowledgeGraph(numeric=numeric, polarity=polarity)
    if policies_dir is not None and Path(policies_dir).is_dir():
        _apply_policies(kg, sorted(Path(policies_dir).rglob("*.md")))
    return kg


def _apply_policies(kg: KnowledgeGraph, files: list[Path]) -> None:
    """Override a numeric value when the policy documents never state the default but state
    another value for the fact (the most frequent one)."""
    seen: dict[str, dict[str, int]] = {}
    for path in files:
        body = path.read_text(encoding="utf-8", errors="replace").split("---", 2)[-1]
        for t in numeric_targets(kg, body):
            seen.setdefault(t.fact_id, {}).setdefault(t.written, 0)
            seen[t.fact_id][t.written] += 1
    for i, fact in enumerate(kg.numeric):
        votes = seen.get(fact.id)
        if not votes or fact.value in votes:  # the policies still state the default somewhere: keep it
            continue
        value = max(votes.items(), key=lambda kv: kv[1])[0]
        if value != fact.value:
            kg.overrides.append({"fact": fact.id, "default": fact.value, "policy": value})
            kg.numeric[i] = NumericFact(fact.id, fact.subject, fact.relation, value, fact.unit, fact.cues)
