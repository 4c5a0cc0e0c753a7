"""A policy's Markdown as clauses: each list item or prose sentence with the heading and lead it belongs to.

Shops write their rules as cases: a heading ("发起退款后多久到账（按付款方式）"), a list of items each
naming its case before a colon ("信用卡：6-10个工作日到账"), sometimes a nested list under a lead
("大件：收取上门取件费，标准如下：" + one item per product). The composer picks among siblings (the
items of one list), so every clause keeps its label, its context and the id of its sibling group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from knowledge.tables import tables_as_items

_HEADING = re.compile(r"^\s*#{1,6}\s*(.+?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+•·]|\d{1,2}[.)、])\s+(.*)$")
_EMPHASIS = re.compile(r"\*\*|__|`")
_SENTENCE = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+")
_LABEL = re.compile(r"^([^：:。；;]{1,40}?)(?:(?<!\d)[：:]|[：:](?!\d))\s*(?=\S)")
"""A case name before its colon; a colon between digits is a time of day ("16:00前付款"), not a label."""
MAX_LABEL = 40
_POINTS_BELOW = re.compile(r"以下|如下|下列|下表|as follows|the following|below", re.I)
"""A sentence that points at the list under it ("请在以下时限内提交凭证。") leads it, as one ending in a colon."""


@dataclass(frozen=True)
class Clause:
    """One list item or prose sentence of one passage."""

    passage_rank: int
    position: int
    text: str
    """As written, markup removed ("信用卡：6-10个工作日到账，…")."""
    label: str
    """The case it names before its colon ("信用卡"), or "" for a clause without one."""
    heading: str
    """The section heading above it ("" before the first heading)."""
    lead: str
    """The line that introduces its list ("大件：收取上门取件费，从退款中直接扣除，标准如下："), or ""."""
    group: int
    """Id of its sibling list (same heading, same lead, same depth); -1 for prose."""
    has_children: bool = False

    @property
    def body(self) -> str:
        """The text after the label."""
        return self.text[len(self.label) + 1:].strip() if self.label else self.text

    @property
    def context(self) -> str:
        """What the clause is about when read alone: its lead, else its heading."""
        return self.lead.rstrip("：: ") or self.heading


def label_of(text: str) -> str:
    """The case name before the first colon of a short lead ("信用卡：…" -> "信用卡")."""
    match = _LABEL.match(text)
    return match.group(1).strip() if match else ""


def _clean(line: str) -> str:
    return " ".join(_EMPHASIS.sub("", line).split())


def parse_clauses(text: str, passage_rank: int = 0, title: str = "") -> list[Clause]:
    """The clauses of one policy text, in reading order (knowledge-base chunks, "Title · Section：…", too)."""
    return list(_parsed(text, passage_rank, title))


@lru_cache(maxsize=512)
def _parsed(text: str, passage_rank: int, title: str) -> tuple[Clause, ...]:
    out: list[Clause] = []
    heading, group_ids = "", 0
    stack: list[tuple[int, int, str]] = []  # open lists: (indent, group id, lead text)
    prose_lead = ""
    for raw in tables_as_items(text or "").splitlines():
        if not raw.strip():
            continue
        if match := _HEADING.match(raw):
            heading, stack, prose_lead = _clean(match.group(1)), [], ""
            continue
        line = _chunk_prefix_removed(_clean(raw), title)
        if item := _ITEM.match(raw):
            indent, line = len(item.group(1).expandtabs(4)), _clean(item.group(2))
            while stack and stack[-1][0] > indent:
                stack.pop()
            if not stack or stack[-1][0] < indent:
                parent = out[-1] if out and out[-1].group >= 0 and stack else None
                lead = parent.text if parent is not None else prose_lead
                if parent is not None:
                    out[-1] = _with_children(parent)
                group_ids += 1
                stack.append((indent, group_ids, lead))
            out.append(_clause(passage_rank, len(out), line, heading, stack[-1][2], stack[-1][1]))
            continue
        stack = []
        prose_lead = line if line.endswith(("：", ":")) or _POINTS_BELOW.search(line) else ""
        for sentence in _SENTENCE.split(line):
            if len((sentence or "").strip()) >= 2:
                out.append(_clause(passage_rank, len(out), sentence.strip(), heading, "", -1))
    return tuple(out)


def _clause(rank: int, position: int, text: str, heading: str, lead: str, group: int) -> Clause:
    return Clause(rank, position, text, label_of(text), heading, lead, group)


def _with_children(parent: Clause) -> Clause:
    return Clause(parent.passage_rank, parent.position, parent.text, parent.label, parent.heading, parent.lead,
                  parent.group, True)


def _chunk_prefix_removed(line: str, title: str) -> str:
    """A knowledge-base chunk starts "Title · Section：": keep what follows."""
    if title and line.startswith(title):
        rest = line[len(title):]
        match = re.match(r"^\s*·\s*[^：:。]{1,40}[：:]\s*|^\s*[：:]\s*", rest)
        if match and len(rest) > match.end() + 2:
            return rest[match.end():]
    return line


def siblings(clauses: list[Clause], clause: Clause) -> list[Clause]:
    """The items of `clause`'s list (its children when it leads a nested list); itself alone for prose."""
    if clause.has_children:
        kids = [c for c in clauses if c.passage_rank == clause.passage_rank and c.lead == clause.text
                and c.position > clause.position]
        if kids:
            first = kids[0].group
            return [c for c in kids if c.group == first]
    if clause.group < 0:
        return [clause]
    return [c for c in clauses if c.passage_rank == clause.passage_rank and c.group == clause.group]
