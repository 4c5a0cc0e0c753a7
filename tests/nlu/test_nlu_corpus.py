"""The corpus pipeline: held-out templates never leak into training, labels and offsets are exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finetune.nlu.corpus import CorpusConfig, build
from graph.nlu.labels import EMOTIONS, ENTITY_TYPES, INTENTS, LANGUAGES

HELDOUT = Path(__file__).resolve().parents[2] / "finetune" / "nlu" / "data" / "heldout.jsonl"


@pytest.fixture(scope="module")
def splits():
    return build(CorpusConfig(train_per_intent=40, dev_per_intent=10, heldout_per_intent=20, seed=5))


def test_heldout_templates_are_never_trained_on(splits) -> None:
    train_templates = {r["provenance"]["template"] for r in splits["train"]}
    held_templates = {
        r["provenance"]["template"] for r in splits["heldout"] if "/gen/" not in r["provenance"]["template"]
    }
    assert held_templates and not held_templates & train_templates
    assert not {r["text"] for r in splits["heldout"]} & {r["text"] for r in splits["train"]}


def test_every_intent_is_sampled(splits) -> None:
    counts = {i: sum(r["intent"] == i for r in splits["train"]) for i in INTENTS}
    assert min(counts.values()) >= 30, counts


def test_records_are_well_formed(splits) -> None:
    for r in splits["train"] + splits["heldout"]:
        assert r["intent"] in INTENTS and r["language"] in LANGUAGES
        assert r["emotion"]["label"] in EMOTIONS and 0 <= r["emotion"]["intensity"] <= 1
        assert r["provenance"]["template"]
        for e in r["entities"]:
            assert e["type"] in ENTITY_TYPES
            assert 0 <= e["start"] < e["end"] <= len(r["text"])


def test_shipped_heldout_file_has_the_contract_fields() -> None:
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 21 * 100
    first = json.loads(lines[0])
    assert {"text", "intent", "entities", "emotion", "language"} <= set(first)
    for line in lines[:300]:
        r = json.loads(line)
        for e in r["entities"]:
            assert {"type", "value", "start", "end"} <= set(e)
