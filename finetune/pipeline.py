"""The `data` stage: logs in, training-ready splits out, with a report of every decision.

Steps: load (JSONL, malformed lines reported) → ratings → filter (empty, unsupported language)
→ PII scrub (mask or drop) → KG check of agent turns → dedup → intent triples → split by origin
→ stratified sampling (category, intent) of train → augmentation of train → feedback refresh.

    python -m finetune data --inputs logs.jsonl --ratings-db var/service.db --out var/ft/data
    python -m finetune data --synthetic 2000 --out var/ft/data          # no private data needed
    python -m finetune data --inputs fb/feedback.jsonl --refresh --out var/ft/data   # the weekly refresh
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from finetune import corpus, feedback
from finetune.dialogues import Dialogue, load_dialogues, save_dialogues, write_jsonl
from finetune.kg import build_kg
from finetune.pii import scrub_dialogues
from finetune.synth import SynthConfig, generate_dialogues
from knowledge.language import served_language


@dataclass
class DataConfig:
    """Options of the data stage."""

    out: str = field(default="var/finetune/data", metadata={"help": "output folder of the splits and report"})
    inputs: list[str] = field(
        default_factory=list, metadata={"help": "dialogue JSONL files (format: finetune/dialogues.py)"}
    )
    synthetic: int = field(default=0, metadata={"help": "add this many generated demo-shop dialogues"})
    seed: int = field(default=7, metadata={"help": "seed of generation, sampling, augmentation and split"})
    ratings_db: str | None = field(default=None, metadata={"help": "kefu service.db with the ratings table, or "
                                                                      "the deployment's postgresql:// URL"})
    rating_threshold: int = field(
        default=8, metadata={"help": "dialogues rated below this join the feedback set"}
    )
    previous_train: str | None = field(
        default=None, metadata={"help": "last train.jsonl, refreshed instead of rebuilt"}
    )
    refresh_share: float = field(
        default=0.10, metadata={"help": "share of previous_train replaced by a refresh"}
    )
    refresh: bool = field(
        default=False,
        metadata={"help": "weekly refresh: keep the training set in --out (or --previous-train) and replace "
                  "--refresh-share of it with the new dialogues, feedback first; val/test stay as they were"},
    )
    val_share: float = field(default=0.1, metadata={"help": "share of dialogues in the validation split"})
    test_share: float = field(default=0.1, metadata={"help": "share of dialogues in the test split"})
    max_train: int = field(
        default=0, metadata={"help": "cap on train dialogues, sampled by category and intent (0 = all)"}
    )
    augment_share: float = field(
        default=0.3, metadata={"help": "share of train dialogues that get an augmented copy"}
    )


def _filter(dialogues: list[Dialogue]) -> tuple[list[Dialogue], dict[str, int]]:
    dropped: dict[str, int] = {"empty": 0, "unsupported_language": 0}
    kept = []
    for d in dialogues:
        if not any(t.role == "customer" and t.text.strip() for t in d.turns) or not any(
            t.role == "agent" and t.text.strip() for t in d.turns
        ):
            dropped["empty"] += 1
            continue
        lang = served_language(d.customer_text())
        if lang in ("unsupported", "unknown"):
            dropped["unsupported_language"] += 1
            continue
        d.lang = d.lang or lang
        kept.append(d)
    return kept, dropped


def _kg_check(dialogues: list[Dialogue]) -> int:
    """Exclude agent turns that contradict the KG from the loss; returns how many turns."""
    kg = build_kg()
    bad = 0
    for d in dialogues:
        wrong = [i for i, t in enumerate(d.turns) if t.role == "agent" and kg.check_text(t.text)]
        if wrong:
            d.meta["no_loss_turns"] = sorted(set(d.meta.get("no_loss_turns", [])) | set(wrong))
            d.meta["kg_contradictions"] = len(wrong)
            bad += len(wrong)
    return bad


def _load(cfg: DataConfig, report: dict[str, Any]) -> list[Dialogue]:
    dialogues: list[Dialogue] = []
    report["malformed_lines"] = {}
    for path in cfg.inputs:
        loaded = load_dialogues(path)
        dialogues += loaded.dialogues
        if loaded.errors:
            report["malformed_lines"][str(path)] = loaded.errors[:100]
    if cfg.synthetic:
        dialogues += generate_dialogues(SynthConfig(n=cfg.synthetic, seed=cfg.seed))
    if not dialogues and not cfg.refresh:  # a quiet week refreshes nothing, and says so
        raise ValueError("no dialogues: give --inputs files with valid lines or --synthetic N")
    return dialogues


def run_data(cfg: DataConfig) -> dict[str, Any]:
    """Run the data stage; writes train/val/test/feedback/triples JSONL and report.json into cfg.out."""
    rng = random.Random(cfg.seed)
    out = Path(cfg.out)
    report: dict[str, Any] = {"config": asdict(cfg)}
    dialogues = _load(cfg, report)
    report["dialogues_in"] = len(dialogues)
    if cfg.ratings_db:
        report["ratings_matched"] = feedback.attach_ratings(dialogues, feedback.load_ratings(cfg.ratings_db))
    dialogues, report["filtered"] = _filter(dialogues)
    dialogues, scrub = scrub_dialogues(dialogues)
    report["pii"] = scrub.as_dict()
    report["pii_dropped_share"] = round(scrub.dropped / max(1, report["dialogues_in"]), 4)
    report["kg_contradicting_turns"] = _kg_check(dialogues)
    low = feedback.mark_low_rated(dialogues, cfg.rating_threshold)
    report["feedback_dialogues"] = len(low)
    dialogues, report["duplicates_removed"] = corpus.dedup(dialogues)
    triples = [t for d in dialogues if (t := corpus.extract_triple(d))]
    for d in dialogues:
        found = corpus.question_intent(d)
        d.intent = d.intent or (found[1] if found else "other")
        d.category = d.category or "unknown"
    parts = _parts(cfg, dialogues)
    train = parts["train"]
    if cfg.max_train:
        train = corpus.stratified_sample(
            train, cfg.max_train, rng, (lambda d: d.category, lambda d: d.intent)
        )
    train += corpus.augment(train, cfg.augment_share, rng)
    if cfg.previous_train or cfg.refresh:
        previous = load_dialogues(_previous_train_path(cfg)).dialogues
        train, refreshed = feedback.refresh(previous, train, cfg.refresh_share, cfg.seed)
        report["refresh"] = asdict(refreshed)
    parts["train"] = train
    out.mkdir(parents=True, exist_ok=True)
    for name, items in parts.items():
        report[f"{name}_dialogues"] = save_dialogues(items, out / f"{name}.jsonl")
    save_dialogues(low, out / "feedback.jsonl")
    report["triples"] = write_jsonl(triples, out / "triples.jsonl")
    report["train_by_category"] = _count(train, "category")
    report["train_by_intent"] = _count(train, "intent")
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return report


def _previous_train_path(cfg: DataConfig) -> Path:
    """The training set a refresh starts from: --previous-train, else the one already in --out."""
    path = Path(cfg.previous_train) if cfg.previous_train else Path(cfg.out) / "train.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"nothing to refresh: {path} not found (build it once without --refresh)")
    return path


def _parts(cfg: DataConfig, dialogues: list[Dialogue]) -> dict[str, list[Dialogue]]:
    """train/val/test: a split by origin, or for --refresh every new dialogue as a training candidate beside
    last week's val/test (kept as they were, so figures stay comparable; none of theirs joins train)."""
    if not cfg.refresh:
        return corpus.split(dialogues, cfg.val_share, cfg.test_share, cfg.seed)
    folder = _previous_train_path(cfg).parent
    held = {name: load_dialogues(folder / f"{name}.jsonl").dialogues if (folder / f"{name}.jsonl").is_file() else []
            for name in ("val", "test")}
    held_ids = {corpus.origin(d) for part in held.values() for d in part}
    return {"train": [d for d in dialogues if corpus.origin(d) not in held_ids], **held}


def _count(items: list[Dialogue], attr: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in items:
        key = str(getattr(d, attr))
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
