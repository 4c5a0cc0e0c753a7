"""Text handling for search: chunking documents and lexical terms (jieba words + CJK bigrams)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import yaml

from knowledge.documents import PolicyDoc
from knowledge.tables import tables_as_items

MAX_CHUNK_CHARS = 320
_LIST_RE = re.compile(r"^\s*(?:[-*+•]|\d+[.、)]|[（(]\d+[）)])\s+")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
_SENTENCE_RE = re.compile(r"(?<=[。！？!?；;])|(?<=\.)\s+")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_LATIN_RE = re.compile(r"[a-z0-9]+")
_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff]{2,}")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Domain words, synonyms and stopwords (knowledge/lexicon.yaml), loaded once."""
    raw = resources.files("knowledge").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    data["stopwords"] = {str(w).lower() for w in data["stopwords"]}
    data["synonyms"] = {str(k).lower(): [str(v) for v in vs] for k, vs in data["synonyms"].items()}
    data["patterns"] = [
        (re.compile(str(k)), [str(v) for v in vs]) for k, vs in data.get("patterns", {}).items()
    ]
    return data


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in lexicon()["words"]:
        jieba.add_word(str(word), freq=20000)
    return jieba


def _units(body: str) -> list[tuple[str, str]]:
    """Body -> ("heading" | "para" | "item", text) units in reading order."""
    units: list[tuple[str, str]] = []
    for block in re.split(r"\n\s*\n", body):
        buffer: list[str] = []
        kind = "para"
        for line in block.splitlines():
            head = _HEADING_RE.match(line)
            if head or _LIST_RE.match(line):
                if buffer:
                    units.append((kind, " ".join(buffer)))
                buffer = []
                if head:
                    units.append(("heading", head.group(1).strip()))
                    continue
                kind, line = "item", _LIST_RE.sub("", line)
            if line.strip():
                buffer.append(line.strip())
        if buffer:
            units.append((kind, " ".join(buffer)))
    return units


def chunk_document(doc: PolicyDoc) -> list[str]:
    """Split a body into paragraph / list-item chunks, each prefixed with the title (and heading).

    A paragraph that introduces a list ("...时：") is not a chunk of its own: it leads each item.
    """
    units = _units(tables_as_items(doc.body))
    sep = ": " if doc.locale == "en" else "："
    pieces: list[str] = []
    heading, lead = "", ""
    for i, (kind, text) in enumerate(units):
        if kind == "heading":
            heading, lead = text, ""
        elif (
            kind == "para" and text.endswith(("：", ":")) and i + 1 < len(units) and units[i + 1][0] == "item"
        ):
            lead = text
        else:
            if kind == "para":
                lead = ""
            pieces.append(
                _with_context(doc.title, heading, lead + (" " if lead and sep == ": " else "") + text, sep)
            )
    out: list[str] = []
    for piece in pieces:
        out.extend(_split_long(piece, sep))
    return out or [_with_context(doc.title, "", doc.body.strip()[:MAX_CHUNK_CHARS], sep)]


def _with_context(title: str, heading: str, text: str, sep: str) -> str:
    context = f"{title} · {heading}" if heading and heading != title else title
    return f"{context}{sep}{text}"


def _split_long(text: str, sep: str) -> list[str]:
    if len(text) <= MAX_CHUNK_CHARS:
        return [text]
    context, _, rest = text.partition(sep)
    pieces: list[str] = []
    for sentence in (s for s in _SENTENCE_RE.split(rest) if s and s.strip()):
        while len(sentence) > MAX_CHUNK_CHARS:  # no sentence end in sight: cut at a space if any
            cut = sentence.rfind(" ", MAX_CHUNK_CHARS // 2, MAX_CHUNK_CHARS)
            cut = cut if cut > 0 else MAX_CHUNK_CHARS
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        pieces.append(sentence)
    parts, current = [], ""
    for piece in pieces:
        if current and len(current) + len(piece) > MAX_CHUNK_CHARS:
            parts.append(current)
            current = ""
        current += piece
    if current.strip():
        parts.append(current)
    return [f"{context}{sep}{p.strip()}" for p in parts if p.strip()]


def terms(text: str, expand: bool = False) -> list[str]:
    """Lexical terms of a text: jieba words, CJK bigrams, latin words and their 3-grams.

    With `expand`, synonyms from the lexicon are added (used for queries, not documents).
    """
    lowered = text.lower()
    lex = lexicon()
    stop = lex["stopwords"]
    words = [w.strip() for w in _jieba().lcut_for_search(lowered)]
    words = [w for w in words if w and w not in stop and not w.isspace()]
    if expand:
        words += [w for s in synonyms_in(lowered) for w in _jieba().lcut(s.lower()) if w not in stop]
    out: list[str] = []
    for word in words:
        if _CJK_RE.search(word):
            out.append(word)
            if len(word) > 2:
                out.extend(word[i : i + 2] for i in range(len(word) - 1))
        elif _LATIN_RE.fullmatch(word):
            stem = _stem(word)
            out.append(stem)
            if len(stem) >= 5:
                out.extend("~" + stem[i : i + 3] for i in range(len(stem) - 2))
    out.extend(_pinyin_bigrams(lowered))
    return out


def _pinyin_bigrams(text: str) -> list[str]:
    """Toneless pinyin syllable pairs of each CJK run, so homophone typos (推货/退货) still match."""
    from pypinyin import lazy_pinyin

    out: list[str] = []
    for run in _CJK_RUN_RE.findall(text):
        syllables = lazy_pinyin(run)
        out.extend(f"@{a}_{b}" for a, b in pairwise(syllables))
    return out


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def synonyms_in(text: str) -> list[str]:
    """Policy wording for the colloquial words and patterns found in `text` (lexicon), in order."""
    lowered = text.lower()
    lex = lexicon()
    found = [s for key, syns in lex["synonyms"].items() if _has_key(lowered, key) for s in syns]
    found += [s for pattern, syns in lex["patterns"] if pattern.search(lowered) for s in syns]
    return list(dict.fromkeys(found))


def _has_key(lowered: str, key: str) -> bool:
    """Whether a lexicon key occurs in a query as a word: a latin key must start a word ("return"
    matches "returned", not "overreturn"), a one-character key must be a jieba word of its own
    ("装" in "谁来装", not in "包装")."""
    if key not in lowered:
        return False
    if key[:1].isascii() and key[:1].isalnum():
        return re.search(rf"(?<![a-z0-9]){re.escape(key)}", lowered) is not None
    return len(key) > 1 or key in _words(lowered)


@lru_cache(maxsize=256)
def _words(lowered: str) -> frozenset[str]:
    return frozenset(w.strip() for w in _jieba().lcut(lowered))


def expand_query(text: str) -> str:
    """The query plus the policy wording of its colloquial words (what the dense model embeds)."""
    extra = [s for s in synonyms_in(text) if s.lower() not in text.lower()]
    return f"{text} {' '.join(extra)}" if extra else text
