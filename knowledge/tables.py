"""Markdown tables as list items: shops write cases as table rows ("| 信用卡 | 7-10个工作日 |").

Each data row becomes one item naming its case (the first cell) before a colon, the other cells after it,
with their column names when the table has more than two columns ("- 金卡：条件：满3000元；会员价：95折"),
so chunking, search and case selection read a row like any other case of a list.
"""

from __future__ import annotations

import re

_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_EMPTY = {"", "-", "—", "–", "/"}


def _cells(line: str) -> list[str]:
    match = _ROW.match(line)
    return [c.strip() for c in match.group(1).split("|")] if match else []


def _item(header: list[str], row: list[str], en: bool) -> str:
    colon, sep = (": ", "; ") if en else ("：", "；")
    first, rest = row[0], list(zip(header[1:], row[1:], strict=False))
    values = [v for _, v in rest if v not in _EMPTY]
    if len(rest) > 1:
        values = [f"{h}{colon}{v}" if h else v for h, v in rest if v not in _EMPTY]
    if not values:
        return f"- {first}"
    return f"- {first}{colon}{sep.join(values)}" if first not in _EMPTY else f"- {sep.join(values)}"


def tables_as_items(body: str) -> str:
    """`body` with every Markdown table (a header row, a rule row, data rows) turned into list items; the
    rest is kept as written. A table is followed by a blank line, so its last row ends its list."""
    if "|" not in body:
        return body
    lines = body.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        if header and i + 1 < len(lines) and _RULE.match(lines[i + 1]):
            en = not re.search(r"[\u3400-\u9fff]", lines[i])
            i += 2
            while i < len(lines) and (row := _cells(lines[i])):
                out.append(_item(header, row, en))
                i += 1
            out.append("")
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)
