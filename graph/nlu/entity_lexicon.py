"""Word lists of the entity extractor (lexicon/*.txt), each compiled once into one pattern.

Chinese words match anywhere (optionally after modifiers such as 实木, 儿童, 小米), Latin words on
word boundaries with a plural -s/-es. A line starting with "!" is a stop phrase: matched so that it
hides the words inside it (火锅 hides 锅), never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "lexicon"


@cache
def lexicon(name: str, prefix: str = "") -> tuple[re.Pattern[str], frozenset[str]]:
    """One pattern for a word list (up to two modifiers from `prefix` before a Chinese word) and the
    list's stop phrases."""
    lines = [
        w.strip()
        for w in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    ]
    stops = frozenset(w[1:].lower() for w in lines if w.startswith("!"))
    words = {w.lstrip("!") for w in lines}
    cjk = trie_pattern(w for w in words if not w.isascii())
    latin = trie_pattern(w.lower() for w in words if w.isascii())
    lead = f"(?P<modifiers>(?:{prefix}){{0,2}})" if prefix else ""
    pattern = re.compile(
        rf"{lead}(?:{cjk})(?!号|尾号|卡|套餐|端|版本|系统|上|里|店|铺)"
        rf"|(?<![A-Za-z])(?:{latin})(?:e?s)?(?![A-Za-z\-]| Friday| number| no\b)",
        re.IGNORECASE,
    )
    return pattern, stops


def trie_pattern(words: Iterable[str]) -> str:
    """An alternation of words as a character trie (鞋(?:子|垫)?): it matches what the plain
    longest-first alternation matches, but the engine follows one branch instead of trying them all."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(root)


def _node_pattern(node: dict[str, dict]) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if "" not in node:
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if not branches:
        return ""
    return f"{branches[0]}?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{'|'.join(branches)})?"


def is_stop(word: str, stops: frozenset[str]) -> bool:
    """Whether a lexicon match is a stop phrase, in the singular or plural ("TV shows")."""
    word = word.lower()
    if word in stops:
        return True
    return word.isascii() and word.endswith("s") and (word[:-1] in stops or word[:-2] in stops)


def lexicon_matches(pattern: re.Pattern[str], stops: frozenset[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of a word list that are not stop phrases. A stop phrase hides the words inside it,
    not one that starts inside it and runs past its end (看书桌: 书桌 is still found)."""
    for m in pattern.finditer(text):
        if not is_stop(m.group(0), stops):
            yield m
            continue
        for pos in range(m.start() + 1, m.end()):
            crossing = pattern.match(text, pos)
            if crossing and crossing.end() > m.end() and not is_stop(crossing.group(0), stops):
                yield crossing
                break
