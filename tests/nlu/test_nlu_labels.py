"""The label contract: kefu's copy matches the taxonomy; corpus and lexicons use only those labels."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from finetune.nlu.fillers import fillers
from finetune.nlu.templates import load_templates
from graph.nlu.labels import EMOTIONS, ENTITY_TYPES, INTENTS, LANGUAGES

TAXONOMY = Path("/work/shared/spec/taxonomy.yaml")


@pytest.mark.skipif(not TAXONOMY.is_file(), reason="shared taxonomy spec not present on this machine")
def test_labels_match_taxonomy() -> None:
    spec = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    assert set(INTENTS) == set(spec["intents"])
    assert set(ENTITY_TYPES) == set(spec["entities"])
    assert set(EMOTIONS) == set(spec["emotions"])
    assert set(LANGUAGES) == set(spec["languages"])


def test_every_intent_has_enough_templates() -> None:
    templates = load_templates()
    for intent in INTENTS:
        mine = [t for t in templates if t.intent == intent]
        assert len(mine) >= 40, intent
        assert {t.lang for t in mine} == {"zh", "en", "mixed"}, intent
    assert len({t.id for t in templates}) == len(templates)


def test_extractor_knows_every_filler_product() -> None:
    lexicon = Path("graph/nlu/lexicon/products.txt").read_text(encoding="utf-8").splitlines()
    f = fillers()
    missing = [p for p in f["product"] + f["product_en"] + f["literal_products"] if p not in lexicon]
    assert missing == []
