"""The corpus pipeline: held-out templates never leak into training, labels and offsets are exact."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from finetune.nlu.corpus import CorpusConfig, build, split_of
from finetune.nlu.fillers import size
from finetune.nlu.templates import Template, load_templates
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


def _templates(intent: str, lang: str, n: int, batch: str = "") -> list[Template]:
    stem = f"{intent}.{batch}" if batch else intent
    return [Template(f"{stem}/{lang}/{i:02d}", intent, lang, "x", batch=batch) for i in range(n)]


def test_a_new_batch_moves_no_earlier_template_between_splits() -> None:
    cfg = CorpusConfig()
    base = _templates("order_status", "zh", 30) + _templates("other", "en", 9)
    before = split_of(base, cfg)
    after = split_of(base + _templates("order_status", "zh", 25, batch="r9"), cfg)
    assert {t: after[t] for t in before} == before
    new = [s for t, s in after.items() if ".r9/" in t]
    assert new.count("heldout") == 5  # the batch gets its own 20% of held-out templates


def test_shipped_template_batches_load_with_their_batch() -> None:
    templates = load_templates()
    assert {t.batch for t in templates if t.id.startswith("order_status/")} == {""}
    assert {t.batch for t in templates if t.id.startswith("order_status.r5/")} == {"r5"}


def test_decorators_keep_the_intent() -> None:
    import random

    from finetune.nlu.augment import Example, decorate

    for seed in range(200):
        rng = random.Random(seed)
        ex = Example([("帮我退货", None, None)], "return_request", "zh", "neutral", 0.0)
        decorate(ex, rng, rng.choice(["anxious", "angry"]))
        text = "".join(t for t, _, _ in ex.segments)
        assert "等了好几天" not in text and "一个星期" not in text and "第三天" not in text
        off = Example([("今天天气怎么样", None, None)], "other", "zh", "neutral", 0.0)
        decorate(off, rng, "neutral")
        assert not any(w in "".join(t for t, _, _ in off.segments) for w in ("谢", "你好", "您好"))
    waited = Example([("退款还没到", None, None)], "refund_status", "zh", "neutral", 0.0)
    texts = set()
    for seed in range(300):
        ex = Example(list(waited.segments), "refund_status", "zh", "neutral", 0.0)
        decorate(ex, random.Random(seed), "angry")
        texts.add("".join(t for t, _, _ in ex.segments))
    assert any("一个星期" in t or "还要等多久" in t for t in texts)  # waiting still fits a refund query


def test_english_templates_take_english_fillers() -> None:
    import random

    from finetune.nlu.fillers import render_slot

    for seed in range(30):
        rng = random.Random(seed)
        for slot in ("days", "date", "when"):
            text = render_slot(slot, rng, "en")[0][0]
            assert text.isascii(), (slot, text)
    assert any(not render_slot("days", random.Random(s))[0][0].isascii() for s in range(30))


def test_generated_letter_sizes_keep_their_suffix_as_written() -> None:
    rng = random.Random(0)
    for _ in range(200):
        segments = size(rng)
        # "M码" is one entity valued as written (like the extractor and taxonomy.yaml), not "M" + "码"
        assert [(kind, value) for _, kind, value in segments] == [("sku_attr", segments[0][0])]
