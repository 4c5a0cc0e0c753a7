"""The front-tier NLU: one object that turns a message into intent, entities, emotion, language.

`load_nlu(settings)` loads the trained artifact once per process (from `settings.models_dir/nlu`
when one was trained there, else the one shipped in graph/nlu/artifacts) and falls back to the
keyword/lexicon baselines when no artifact exists.

Besides the best intent, a result lists the top readings (`candidates`) and says whether the
reading is too uncertain to act on (`ask`): the top confidence is low or the runner-up is close.
The graph then asks one clarifying question with the two readings instead of guessing.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from graph.nlu.baseline import emotion_lexicon, keyword_intents
from graph.nlu.entities import extract_entities
from graph.nlu.reading import CANDIDATES, AskPolicy, Reading
from graph.nlu.text import clean, model_view
from knowledge.language import detect_language

LOG = logging.getLogger(__name__)
SHIPPED_ARTIFACTS = Path(__file__).parent / "artifacts"


class Classifier(Protocol):
    """Labels of one (cleaned, truncated) message given its entities."""

    def classify(self, text: str, entities: list[dict[str, Any]]) -> Reading:
        """The intent readings and the emotion of one message."""
        ...


class BaselineClassifier:
    """Keyword intents and lexicon emotions: the fallback when no trained artifact exists. The keyword
    rules give one reading only, so the baseline never asks."""

    def classify(self, text: str, entities: list[dict[str, Any]]) -> Reading:
        intent, confidence = keyword_intents().predict(text)
        emotion, intensity = emotion_lexicon().predict(text)
        return Reading(intent, confidence, emotion, intensity, ((intent, confidence),))


class Nlu:
    """Analyses one message; stateless and thread-safe once built."""

    def __init__(self, classifier: Classifier, version: str, ask_policy: AskPolicy | None = None) -> None:
        self.classifier = classifier
        self.version = version
        self.ask_policy = ask_policy or AskPolicy()

    def analyze(self, text: str) -> dict[str, Any]:
        """{intent, confidence, candidates [{intent, confidence}], ask, entities, emotion {label,
        intensity}, language} for one message."""
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: list[str]) -> list[dict[str, Any]]:
        """`analyze` for a batch (same results; the sentence encoder runs once for the batch)."""
        prepared = [_prepare(t) for t in texts]
        todo = [i for i, p in enumerate(prepared) if p.view]
        batch = getattr(self.classifier, "classify_many", None)
        views = [prepared[i].view for i in todo]
        masks = [prepared[i].view_entities for i in todo]
        labels = (
            batch(views, masks) if batch
            else [self.classifier.classify(v, m) for v, m in zip(views, masks, strict=False)]
        )
        empty = Reading("other", 1.0, "neutral", 0.0, (("other", 1.0),))
        out = [self._result(empty, [], p.language) for p in prepared]
        for i, reading in zip(todo, labels, strict=True):
            out[i] = self._result(reading, prepared[i].entities, prepared[i].language)
        return out

    def _result(self, reading: Reading, entities: list[dict[str, Any]], lang: str) -> dict[str, Any]:
        candidates = reading.candidates[:CANDIDATES] or ((reading.intent, reading.confidence),)
        return {
            "intent": reading.intent,
            "confidence": round(float(reading.confidence), 4),
            "candidates": [{"intent": i, "confidence": round(float(c), 4)} for i, c in candidates],
            "ask": self.ask_policy.ask(candidates),
            "entities": entities,
            "emotion": {"label": reading.emotion, "intensity": round(float(reading.intensity), 3)},
            "language": lang,
        }


@dataclass
class _Prepared:
    view: str
    language: str
    entities: list[dict[str, Any]]
    view_entities: list[dict[str, Any]]


def _prepare(text: Any) -> _Prepared:
    """Clean, truncate, detect the language and extract entities of one message."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    cleaned = clean(text)
    view = model_view(cleaned)
    if not view:
        return _Prepared("", detect_language(view), [], [])
    entities = extract_entities(cleaned)
    # the classifiers read the whitespace-collapsed, truncated view: mask the entities found in it
    view_entities = entities if view == cleaned else extract_entities(view)
    return _Prepared(view, detect_language(view), entities, view_entities)


def baseline_nlu() -> Nlu:
    """The rule-only NLU (keyword intents, lexicon emotions)."""
    return Nlu(BaselineClassifier(), version="baseline")


def artifact_dir(models_dir: Path | None) -> Path | None:
    """Where the trained NLU artifact is: settings.models_dir/nlu first, then the shipped one."""
    from graph.nlu.model import ARTIFACT_NAME

    for folder in ([models_dir / "nlu"] if models_dir else []) + [SHIPPED_ARTIFACTS]:
        if (folder / ARTIFACT_NAME).is_file():
            return folder
    return None


def build_nlu(models_dir: Path | None) -> Nlu:
    """A trained NLU from the first artifact found, or the baseline when there is none."""
    folder = artifact_dir(models_dir)
    if folder is None:
        return baseline_nlu()
    from graph.nlu.model import load_models

    try:
        classifier, version = load_models(folder, cache_dir=models_dir / "cache" if models_dir else None)
    except (OSError, ValueError, KeyError) as exc:
        LOG.warning("NLU artifact in %s unusable (%s); using the keyword baseline", folder, exc)
        return baseline_nlu()
    ask = classifier.meta.get("ask") or {}
    return Nlu(classifier, version=version, ask_policy=AskPolicy(**ask) if ask else None)


_CACHE: dict[str, Nlu] = {}
_LOCK = threading.Lock()


def load_nlu(settings: Any = None) -> Nlu:
    """The process-wide NLU for these settings (built on first call, then reused). Settings whose
    models_dir holds no trained NLU of its own share the one built from the shipped artifact."""
    models_dir = Path(settings.models_dir) if settings is not None else None
    key = str(artifact_dir(models_dir))
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = build_nlu(models_dir)
        return _CACHE[key]


def encoder_cache_dir(settings: Any) -> Path:
    """Where the sentence encoder's fast-load cache lives for these settings."""
    return Path(settings.models_dir) / "cache"
