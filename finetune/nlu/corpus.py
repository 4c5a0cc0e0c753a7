"""Build the NLU corpus: expand templates, augment, split by template, sample stratified by intent.

    python -m finetune.nlu.corpus --out finetune/nlu/data      # writes heldout.jsonl (+ train/dev)

Whole templates are held out (never trained on), so the held-out score measures wording the
classifier has not seen. Every example records its provenance (template id, source, augmentations).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from finetune.nlu.augment import (
    Example,
    allowed_emotions,
    casual,
    code_switch,
    decorate,
    noise,
    synonyms,
    typo,
)
from finetune.nlu.extras import gibberish
from finetune.nlu.fillers import fillers, render_slot
from finetune.nlu.situations import situation_emotion
from finetune.nlu.templates import Segment, Template, choose, join, load_templates, split_slots
from graph.nlu.labels import INTENTS

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
CODES = {"xl", "xxl", "xxxl", "xs", "sf", "jd", "ems", "gb", "vip", "plus", "app", "qq", "cm", "kg"}
EMOTION_WEIGHTS = {"neutral": 0.4, "anxious": 0.25, "angry": 0.2, "positive": 0.15}


@dataclass
class CorpusConfig:
    """Sizes and seed of one corpus build."""

    train_per_intent: int = 2000
    heldout_per_intent: int = 140
    dev_per_intent: int = 80
    heldout_share: float = 0.2
    dev_share: float = 0.1
    seed: int = 13


def split_of(templates: list[Template], cfg: CorpusConfig) -> dict[str, str]:
    """template id -> train | dev | heldout, chosen per intent, language and batch by a stable hash.

    Grouping by batch means a new batch of templates is split among its own templates, so adding
    it never moves an earlier template between train and held-out.
    """
    groups: dict[tuple[str, str, str], list[Template]] = defaultdict(list)
    for t in templates:
        groups[(t.intent, t.lang, t.batch)].append(t)
    out: dict[str, str] = {}
    for group in groups.values():
        group.sort(key=lambda t: hashlib.md5(t.id.encode()).hexdigest())
        n_held = max(1, round(len(group) * cfg.heldout_share)) if len(group) >= 4 else 0
        n_dev = max(1, round(len(group) * cfg.dev_share)) if len(group) >= 8 else 0
        for i, t in enumerate(group):
            out[t.id] = "heldout" if i < n_held else "dev" if i < n_held + n_dev else "train"
    return out


def render(t: Template, rng: random.Random) -> Example:
    """One un-augmented message from a template; an untagged one takes the emotion of its situation."""
    segments: list[Segment] = []
    for piece, is_slot in split_slots(choose(t.pattern, rng)):
        segments.extend(render_slot(piece, rng, t.lang) if is_slot else [(piece, None, None)])
    ex = Example(segments, t.intent, t.lang, t.emotion, t.intensity)
    if not t.tagged and t.intent != "other":
        found = situation_emotion(join(segments)[0])
        if found:
            ex.emotion, ex.intensity, ex.situation = found
    return ex


def augment(ex: Example, rng: random.Random) -> None:
    """Apply a random subset of augmentations in place."""
    if rng.random() < 0.6:
        emotions = allowed_emotions(ex)
        weights = [EMOTION_WEIGHTS[e] for e in emotions]
        decorate(ex, rng, rng.choices(emotions, weights)[0])
    if rng.random() < 0.3:
        synonyms(ex, rng)
    if rng.random() < 0.15:
        typo(ex, rng)
    if ex.lang == "zh" and rng.random() < 0.15:
        code_switch(ex, rng)
    if ex.lang == "en" and rng.random() < 0.4:
        casual(ex, rng)
    if rng.random() < 0.25:
        noise(ex, rng)


def literal_products(segments: list[Segment]) -> list[Segment]:
    """Split literal segments so product words written in the template become product entities."""
    pattern = _product_pattern()
    out: list[Segment] = []
    for text, kind, value in segments:
        if kind is not None:
            out.append((text, kind, value))
            continue
        last = 0
        for m in pattern.finditer(text):
            out.extend([(text[last : m.start()], None, None), (m.group(0), "product", m.group(0))])
            last = m.end()
        out.append((text[last:], None, None))
    return [s for s in out if s[0]]


@lru_cache(maxsize=1)
def _product_pattern() -> re.Pattern[str]:
    f = fillers()
    words = sorted(set(f["product"] + f["literal_products"]), key=len, reverse=True)
    latin = sorted(set(f["product_en"]), key=len, reverse=True)
    return re.compile(
        "(?:"
        + "|".join(map(re.escape, words))
        + r")(?!号|尾号|卡|套餐|剧)|\b(?:"  # 电视剧 is a TV series, not a 电视
        + "|".join(map(re.escape, latin))
        + r")\b"
    )


def finish(ex: Example, template_id: str, source: str) -> dict[str, Any]:
    """The JSON record of an example (text, labels, entities with offsets, provenance)."""
    text, entities = join(literal_products(ex.segments))
    lang = ex.lang
    literal = " ".join(t for t, k, _ in ex.segments if k is None)
    if lang == "zh" and any(w.lower() not in CODES for w in ENGLISH_WORD.findall(literal)):
        lang = "mixed"
    return {
        "text": text,
        "intent": ex.intent,
        "entities": entities,
        "emotion": {"label": ex.emotion, "intensity": round(ex.intensity, 2)},
        "language": lang,
        "provenance": {"template": template_id, "source": source, "augment": ex.ops}
        | ({"situation": ex.situation} if ex.situation else {}),
    }


def expand(templates: list[Template], per_template: int, rng: random.Random) -> list[dict[str, Any]]:
    """Examples from templates, distinct texts only, up to per_template tries each."""
    seen: set[str] = set()
    out = []
    for t in templates:
        for _ in range(per_template):
            ex = render(t, rng)
            base, _ = join(ex.segments)
            augment(ex, rng)
            rec = finish(ex, t.id, "template" if not ex.ops else "template+augment")
            rec["provenance"]["base"] = base
            if rec["text"].strip() and rec["text"] not in seen:
                seen.add(rec["text"])
                out.append(rec)
    return out


def stratified(records: list[dict[str, Any]], per_intent: int, rng: random.Random) -> list[dict[str, Any]]:
    """Up to per_intent records per intent, drawn round-robin over templates so none dominates."""
    by_intent: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        by_intent[r["intent"]][r["provenance"]["template"]].append(r)
    out = []
    for intent in INTENTS:
        pools = [list(v) for v in by_intent[intent].values()]
        for pool in pools:
            rng.shuffle(pool)
        taken: list[dict[str, Any]] = []
        while len(taken) < per_intent and any(pools):
            for pool in pools:
                if pool and len(taken) < per_intent:
                    taken.append(pool.pop())
        out.extend(taken)
    rng.shuffle(out)
    return out


def build(cfg: CorpusConfig) -> dict[str, list[dict[str, Any]]]:
    """{'train': [...], 'dev': [...], 'heldout': [...]} with no text shared between splits."""
    rng = random.Random(cfg.seed)
    templates = load_templates()
    split = split_of(templates, cfg)
    splits: dict[str, list[dict[str, Any]]] = {}
    for name, size in (
        ("heldout", cfg.heldout_per_intent),
        ("dev", cfg.dev_per_intent),
        ("train", cfg.train_per_intent),
    ):
        chosen = [t for t in templates if split[t.id] == name]
        per_template = max(
            8, 4 * size // max(1, min(len([t for t in chosen if t.intent == i]) for i in INTENTS))
        )
        records = expand(chosen, per_template, rng)
        records += [_gibberish_record(rng) for _ in range(size // 2)]
        splits[name] = stratified(records, size, rng)
    taken = {r["text"] for r in splits["heldout"]}
    splits["dev"] = [r for r in splits["dev"] if r["text"] not in taken]
    taken |= {r["text"] for r in splits["dev"]}
    splits["train"] = [r for r in splits["train"] if r["text"] not in taken]
    return splits


def _gibberish_record(rng: random.Random) -> dict[str, Any]:
    template_id, segments = gibberish(rng)
    ex = Example(segments, "other", "zh", "neutral", 0.0)
    rec = finish(ex, template_id, "generated")
    rec["language"] = "zh" if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", rec["text"]) else "en"
    return rec


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(records: list[dict[str, Any]], path: Path) -> None:
    """One JSON object per line, UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Write heldout.jsonl (and train.jsonl/dev.jsonl with --all) into --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--all", action="store_true", help="also write train.jsonl and dev.jsonl")
    parser.add_argument("--seed", type=int, default=CorpusConfig.seed)
    args = parser.parse_args(argv)
    splits = build(CorpusConfig(seed=args.seed))
    for name, records in splits.items():
        if name == "heldout" or args.all:
            write_jsonl(records, args.out / f"{name}.jsonl")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
