"""Train kefu's front-tier NLU (intent + emotion with intensity) and write a versioned artifact.

    python -m finetune.nlu.train --out graph/nlu/artifacts            # the shipped artifact
    python -m finetune.nlu.train --out var/models/nlu --no-embeddings  # char n-grams only, faster
    python -m finetune.nlu.train --out /tmp/nlu --train-per-intent 40 --no-embeddings  # smoke run
    python -m finetune.nlu.train --out graph/nlu/artifacts \
        --external /work/corpora/derived/nlu_external.jsonl      # plus public-corpus phrasing (external.py)

The corpus is generated from finetune/nlu/data (templates x fillers, augmented); whole templates
are held out. Models: multinomial logistic regression over [char n-gram TF-IDF | USE sentence
embedding | lexicon cues]; for intent it is mixed with an MLP over [embedding | cues]; heads are
temperature-calibrated on the dev templates, then refit on train+dev.
`load_nlu` picks the artifact up from settings.models_dir/nlu or graph/nlu/artifacts.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finetune.nlu.corpus import CorpusConfig, build, read_jsonl, write_jsonl


@dataclass
class DataArguments:
    """Corpus sizes (per intent, after augmentation) and seed."""

    train_per_intent: int = field(default=2000, metadata={"help": "training examples per intent"})
    dev_per_intent: int = field(
        default=80, metadata={"help": "calibration examples per intent (dev templates)"}
    )
    heldout_per_intent: int = field(default=140, metadata={"help": "held-out examples per intent"})
    seed: int = field(default=13, metadata={"help": "random seed of corpus generation"})
    external: str = field(
        default="",
        metadata={"help": "JSONL of relabelled public-corpus examples (finetune.nlu.external) added to training"},
    )
    external_dev_share: float = field(
        default=0.1, metadata={"help": "share of the external examples used for calibration instead of fitting"}
    )


@dataclass
class ModelArguments:
    """Feature and classifier settings."""

    embeddings: bool = field(
        default=True, metadata={"help": "add the USE sentence embedding to the features"}
    )
    embedding_weight: float = field(default=1.0, metadata={"help": "scale of the embedding block"})
    embed_chars: int = field(default=64, metadata={"help": "characters of a message the sentence encoder reads"})
    cue_weight: float = field(default=1.0, metadata={"help": "scale of the lexicon cue block"})
    familiarity: bool = field(
        default=True, metadata={"help": "add the share of known Chinese character pairs (spots gibberish)"}
    )
    intent_c: float = field(default=3.0, metadata={"help": "inverse regularisation of the intent classifier"})
    emotion_c: float = field(
        default=10.0, metadata={"help": "inverse regularisation of the emotion classifier"}
    )
    mlp_hidden: int = field(
        default=64, metadata={"help": "hidden units of the intent MLP over [n-grams | dense block] (0: none)"}
    )
    mlp_ngrams: int = field(
        default=30000, metadata={"help": "most frequent n-grams the MLP reads (0: dense block only)"}
    )
    mlp_weight: float = field(default=0.5, metadata={"help": "share of the MLP in the intent mix"})
    mlp_epochs: int = field(default=8, metadata={"help": "training epochs of the intent MLP"})
    emotion_mlp_hidden: int = field(
        default=32, metadata={"help": "hidden units of an emotion MLP mixed with the linear head (0: none)"}
    )
    emotion_mlp_weight: float = field(default=0.5, metadata={"help": "share of the MLP in the emotion mix"})
    refit: bool = field(
        default=True, metadata={"help": "refit on train+dev after calibrating (--no-refit: half the time)"}
    )
    min_df: int = field(default=2, metadata={"help": "minimum document frequency of an n-gram"})
    max_features: int = field(default=60000, metadata={"help": "n-gram vocabulary cap"})


@dataclass
class RunArguments:
    """Where to write the artifact."""

    out: Path = field(default=Path("graph/nlu/artifacts"), metadata={"help": "output folder of the artifact"})
    write_heldout: bool = field(
        default=True, metadata={"help": "also write the held-out split to --heldout-path"}
    )
    heldout_path: Path = field(
        default=Path(__file__).parent / "data" / "heldout.jsonl",
        metadata={"help": "where the held-out split goes (the evals suite reads it)"},
    )


CONFIGS = (DataArguments, ModelArguments, RunArguments)


def build_parser(configs: tuple[type, ...] = CONFIGS, doc: str | None = None) -> argparse.ArgumentParser:
    """A parser with one option per dataclass field (booleans get --x / --no-x)."""
    parser = argparse.ArgumentParser(description=(doc or __doc__ or "").splitlines()[0])
    for config in configs:
        group = parser.add_argument_group(config.__name__, config.__doc__)
        for f in dataclasses.fields(config):
            name = "--" + f.name.replace("_", "-")
            help_text = f.metadata.get("help", "")
            if f.type in (bool, "bool"):
                group.add_argument(
                    name,
                    dest=f.name,
                    action=argparse.BooleanOptionalAction,
                    default=f.default,
                    help=help_text,
                )
            else:
                kind = {"int": int, "float": float, "Path": Path}.get(str(f.type), str)
                group.add_argument(name, dest=f.name, type=kind, default=f.default, help=help_text)
    return parser


def parse(argv: list[str] | None, configs: tuple[type, ...] = CONFIGS, doc: str | None = None) -> tuple[Any, ...]:
    """One instance of each config dataclass, from command-line arguments."""
    ns = vars(build_parser(configs, doc).parse_args(argv))
    return tuple(c(**{f.name: ns[f.name] for f in dataclasses.fields(c)}) for c in configs)


def build_splits(data: DataArguments) -> dict[str, list[dict[str, Any]]]:
    """The corpus splits (train, dev, held-out) these data arguments describe: generated from the
    templates, plus the external examples (if any) in train and dev. The held-out split stays
    template-only, so its figures compare across runs."""
    splits = build(CorpusConfig(train_per_intent=data.train_per_intent, dev_per_intent=data.dev_per_intent,
                                heldout_per_intent=data.heldout_per_intent, seed=data.seed))
    if data.external:
        for record in read_jsonl(Path(data.external)):
            key = hashlib.md5(record["text"].encode()).digest()[0] / 256
            splits["dev" if key < data.external_dev_share else "train"].append(record)
    return splits


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, train, calibrate, evaluate on held-out templates, write the artifact."""
    from finetune.nlu.fit import fit_artifact

    data, model, run = parse(argv)
    started = time.perf_counter()
    splits = build_splits(data)
    report: dict[str, Any] = fit_artifact(splits, model, run.out, data_config=dataclasses.asdict(data))
    if run.write_heldout:
        write_jsonl(splits["heldout"], run.heldout_path)
    report["seconds"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
