"""Front-tier NLU: intent, entities, emotion and language of a customer message, in milliseconds.

API: `load_nlu(settings).analyze(text) -> dict`, `extract_entities(text)`, `detect_language(text)`,
`evaluate_nlu(nlu, examples)`.
"""

from graph.nlu.entities import extract_entities
from graph.nlu.evaluate import evaluate_nlu
from graph.nlu.runtime import Nlu, load_nlu
from knowledge.language import detect_language

__all__ = ["Nlu", "detect_language", "evaluate_nlu", "extract_entities", "load_nlu"]
