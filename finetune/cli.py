"""`python -m finetune STAGE [options]`: one subcommand per training stage.

Each stage takes a dataclass config (options with help text, or `--config stage.yaml`) and prints a
JSON summary on stdout. Bad input ends with one line on stderr and exit code 2.

    python -m finetune smoke --out var/ft-smoke           # whole chain on a tiny model, minutes on CPU
    python -m finetune data --synthetic 2000 --out var/ft/data
    python -m finetune sft --model Qwen/Qwen2.5-7B-Instruct --data var/ft/data --out var/ft/sft
    python -m finetune distill --teacher var/ft/sft/merged --student Qwen/Qwen2.5-1.5B-Instruct \\
        --data var/ft/data --out var/ft/distill
    python -m finetune rl --model var/ft/sft/merged --data var/ft/data --out var/ft/rl
    python -m finetune export --model var/ft/rl --out var/ft/export
    python -m finetune nlu ...                             # front-tier models (finetune.nlu.train)
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

from finetune.config import ConfigError, add_dataclass_args, build_config

# stage -> (module, config class, run function, one-line help)
STAGES: dict[str, tuple[str, str, str, str]] = {
    "data": (
        "finetune.pipeline",
        "DataConfig",
        "run_data",
        "ingest logs, scrub PII, triples, stratify, augment, split, feedback refresh",
    ),
    "synth": (
        "finetune.synth_cli",
        "SynthCliConfig",
        "run_synth",
        "write synthetic demo-shop dialogues (JSONL)",
    ),
    "kg": (
        "finetune.synth_cli",
        "KgCliConfig",
        "run_kg",
        "print the knowledge graph built from the policies",
    ),
    "tiny": (
        "finetune.tiny",
        "TinyConfig",
        "run_tiny",
        "build a tiny causal LM + tokenizer from a config (no download)",
    ),
    "sft": (
        "finetune.sft",
        "SFTConfig",
        "run_sft",
        "LoRA SFT with the KG-constrained loss and early stopping",
    ),
    "distill": ("finetune.distill", "DistillConfig", "run_distill", "teacher -> student distillation"),
    "rl": ("finetune.rl", "RLConfig", "run_rl", "GRPO/RLOO on the service reward (finetune/reward.py)"),
    "export": (
        "finetune.export",
        "ExportConfig",
        "run_export",
        "merged + adapter folders for vLLM, model card",
    ),
    "smoke": (
        "finetune.smoke",
        "SmokeConfig",
        "run_smoke",
        "the whole chain on a tiny model; writes metrics.json",
    ),
}


class _Out:
    """The one place this CLI writes results."""

    @staticmethod
    def json(obj: Any) -> None:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")

    @staticmethod
    def error(msg: str) -> None:
        sys.stderr.write(f"finetune: {msg}\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser with one subcommand per stage, plus `nlu` (delegated to finetune.nlu.train)."""
    parser = argparse.ArgumentParser(
        prog="python -m finetune",
        description=__doc__.split("\n")[0],
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="stage", required=True, metavar="STAGE")
    for name, (module, cls_name, _, help_text) in STAGES.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_dataclass_args(p, getattr(importlib.import_module(module), cls_name))
    nlu = sub.add_parser("nlu", help="train the front-tier NLU models (finetune.nlu.train)", add_help=False)
    nlu.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _run_nlu(argv: list[str]) -> int:
    try:
        train = importlib.import_module("finetune.nlu.train")
    except ImportError as exc:
        _Out.error(f"the NLU trainer is not available ({exc})")
        return 2
    return int(train.main(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["nlu"]:
        return _run_nlu(argv[1:])
    args = build_parser().parse_args(argv)
    module, cls_name, fn_name, _ = STAGES[args.stage]
    mod = importlib.import_module(module)
    delattr(args, "stage")
    try:
        cfg = build_config(getattr(mod, cls_name), args)
        result = getattr(mod, fn_name)(cfg)
    except (ConfigError, FileNotFoundError, ValueError, OSError) as exc:
        _Out.error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return 2
    except KeyboardInterrupt:
        return 130
    _Out.json(result)
    return 0
