"""Features of the trained front tier, shared by training and serving so both see the same input.

- sparse: TF-IDF of character 1-3 grams plus Latin word uni/bigrams, over text in which entity
  spans are masked by one symbol per type (an order id or a product name says nothing about intent);
- dense: emotion-lexicon cue scores, a few shape flags, the concept flags of lexicon/cues.yaml and
  which emotions the situations the text describes carry (situations.py),
  plus (when the artifact says so) how familiar the text's Chinese character pairs are;
- embedding: the multilingual USE sentence vector (optional; see encoder.py).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import yaml

from graph.nlu.baseline import LEXICON_DIR, emotion_lexicon
from graph.nlu.situations import ORDER, situation_flags

MASKS = {
    "order_id": "Ⓞ",
    "tracking_no": "Ⓣ",
    "phone": "Ⓟ",
    "amount": "Ⓐ",
    "quantity": "Ⓠ",
    "product": "Ⓖ",
    "address": "Ⓓ",
    "sku_attr": "Ⓚ",
}
LATIN_WORD = re.compile(r"[a-z][a-z']*")
DIGITS = re.compile(r"\d+")
SHAPE_CUES = ("angry", "anxious", "positive", "boost", "exclaim", "question_mark", "short", "latin")


@lru_cache(maxsize=1)
def concept_cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The concept flags of lexicon/cues.yaml."""
    raw = yaml.safe_load((LEXICON_DIR / "cues.yaml").read_text(encoding="utf-8"))
    return tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in raw.items())


def masked(text: str, entities: Sequence[dict[str, Any]]) -> str:
    """The text, lowercased, with entity spans replaced by a type symbol and digit runs by '0'."""
    out, last = [], 0
    for e in sorted(entities, key=lambda e: int(e["start"])):
        start, end = int(e["start"]), int(e["end"])
        if start < last or end > len(text):
            continue
        out.append(text[last:start])
        out.append(MASKS.get(str(e["type"]), ""))
        last = end
    out.append(text[last:])
    return DIGITS.sub("0", "".join(out).lower())


def ngrams(text: str) -> Counter[str]:
    """Character 1-3 grams (whitespace collapsed, with edge markers) and Latin word 1-2 grams."""
    s = "^" + " ".join(text.split()) + "$"
    grams: Counter[str] = Counter()
    for n in (1, 2, 3):
        grams.update(s[i : i + n] for i in range(len(s) - n + 1))
    words = LATIN_WORD.findall(text)
    grams.update("w:" + w for w in words)
    grams.update("w:" + a + "_" + b for a, b in itertools.pairwise(words))
    return grams


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def cue_names() -> list[str]:
    """Names of the dense cue features, in order (recorded in the artifact to detect a mismatch)."""
    return list(SHAPE_CUES) + [name for name, _ in concept_cues()] + [f"situation:{e}" for e in ORDER]


def cues(text: str) -> np.ndarray:
    """Dense cue features: lexicon emotion scores, punctuation and shape flags."""
    scores = emotion_lexicon().scores(text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    shape = [
        scores["angry"],
        scores["anxious"],
        scores["positive"],
        scores["boost"],
        min(3, text.count("!") + text.count("！")) / 3,
        float("?" in text or "？" in text),
        float(len(text) <= 4),
        latin / max(1, len(text)),
    ]
    flags = [float(bool(pattern.search(text))) for _, pattern in concept_cues()]
    return np.array(shape + flags + situation_flags(text), dtype=np.float32)


class SparseVectorizer:
    """TF-IDF over `ngrams` with a fixed vocabulary; sublinear tf, l2-normalised rows."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray) -> None:
        self.vocab = vocab
        self.idf = idf

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = 2, max_features: int = 60000) -> SparseVectorizer:
        """Vocabulary of grams seen in at least min_df texts (most frequent first), with idf."""
        df: Counter[str] = Counter()
        for t in texts:
            df.update(ngrams(t).keys())
        kept = [g for g, c in df.most_common(max_features) if c >= min_df]
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in kept], dtype=np.float32)
        return cls({g: i for i, g in enumerate(kept)}, idf)

    def familiarity(self, text: str) -> float:
        """Share of the text's adjacent Chinese character pairs that the vocabulary knows: characters
        thrown together at random score low, real Chinese (typos included) high; 1.0 without pairs."""
        pairs = [a + b for a, b in itertools.pairwise(text) if _is_cjk(a) and _is_cjk(b)]
        if not pairs:
            return 1.0
        return sum(p in self.vocab for p in pairs) / len(pairs)

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(indices, values) of one text's l2-normalised TF-IDF row."""
        counts = ngrams(text)
        idx = [self.vocab[g] for g in counts if g in self.vocab]
        if not idx:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        ind = np.array(idx, dtype=np.int64)
        tf = np.array([1.0 + math.log(counts[g]) for g in counts if g in self.vocab], dtype=np.float32)
        val = tf * self.idf[ind]
        val /= np.linalg.norm(val)
        return ind, val

    def transform(self, texts: Sequence[str]) -> Any:
        """A scipy CSR matrix of many texts (training only)."""
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for r, t in enumerate(texts):
            ind, val = self.transform_one(t)
            rows.extend([r] * len(ind))
            cols.extend(ind.tolist())
            vals.extend(val.tolist())
        return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocab)), dtype=np.float32)
