"""Small stages: write synthetic dialogues (`synth`) and show the knowledge graph (`kg`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finetune.dialogues import save_dialogues
from finetune.kg import build_kg
from finetune.synth import SynthConfig, generate_dialogues


@dataclass
class SynthCliConfig:
    """Options of the `synth` stage."""

    out: str = field(default="var/finetune/synthetic.jsonl", metadata={"help": "JSONL file to write"})
    n: int = field(default=1000, metadata={"help": "number of dialogues"})
    seed: int = field(default=7, metadata={"help": "generator seed (same seed, same dialogues)"})


def run_synth(cfg: SynthCliConfig) -> dict[str, Any]:
    """Generate `n` dialogues into `out`."""
    if cfg.n <= 0:
        raise ValueError(f"n must be positive, got {cfg.n}")
    written = save_dialogues(generate_dialogues(SynthConfig(n=cfg.n, seed=cfg.seed)), cfg.out)
    return {"written": written, "out": cfg.out}


@dataclass
class KgCliConfig:
    """Options of the `kg` stage."""

    policies: str | None = field(
        default=None, metadata={"help": "folder of policy .md files (default: knowledge/demo_policies)"}
    )


def run_kg(cfg: KgCliConfig) -> dict[str, Any]:
    """The KG's triples and the values the policies overrode."""
    kg = build_kg(Path(cfg.policies)) if cfg.policies else build_kg()
    return {"facts": len(kg.triples()), "triples": kg.triples(), "overrides": kg.overrides}
