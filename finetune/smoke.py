"""`python -m finetune smoke --out DIR`: the whole chain on a tiny model, minutes on a CPU.

data (synthetic dialogues) → tiny model + tokenizer from a config → base warm-up (full weights, a
few steps: stands in for the pretrained base a real run starts from) → LoRA SFT with the KG loss and
early stopping → distillation into a smaller student → GRPO on the service reward → export (merged,
adapter, model card), reloaded and generated from. Writes DIR/metrics.json. The same stage
functions run a real model on a GPU host (finetune/gpu_smoke.py, and the stage commands).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SmokeConfig:
    """Sizes of the smoke run (defaults take about two minutes on two CPU cores)."""

    out: str = field(
        default="var/finetune/smoke", metadata={"help": "output folder (metrics.json and stage folders)"}
    )
    dialogues: int = field(default=400, metadata={"help": "synthetic dialogues generated"})
    hidden: int = field(default=64, metadata={"help": "hidden size of the tiny model"})
    layers: int = field(default=2, metadata={"help": "layers of the tiny model"})
    heads: int = field(default=4, metadata={"help": "attention heads of the tiny model"})
    intermediate: int = field(default=0, metadata={"help": "MLP size of the tiny model (0: 2 x hidden)"})
    batch_size: int = field(default=8, metadata={"help": "examples per SFT/distillation step"})
    warmup_lr: float = field(default=3e-3, metadata={"help": "learning rate of the base warm-up"})
    sft_lr: float = field(default=1e-2, metadata={"help": "learning rate of the LoRA SFT"})
    distill_lr: float = field(default=3e-3, metadata={"help": "learning rate of the student"})
    rl_lr: float = field(default=1e-3, metadata={"help": "learning rate of GRPO/RLOO"})
    warmup_steps: int = field(default=80, metadata={"help": "full-weight base warm-up steps"})
    sft_steps: int = field(default=80, metadata={"help": "LoRA SFT steps"})
    eval_every: int = field(default=5, metadata={"help": "SFT steps between validation evaluations"})
    distill_steps: int = field(default=30, metadata={"help": "distillation steps"})
    rl_steps: int = field(default=4, metadata={"help": "GRPO steps"})
    algorithm: str = field(default="grpo", metadata={"help": "grpo or rloo"})
    max_len: int = field(default=192, metadata={"help": "tokens per example"})
    seed: int = field(default=0, metadata={"help": "seed of every stage"})
    device: str = field(default="auto", metadata={"help": "auto, cpu or cuda"})
    bf16: bool = field(default=False, metadata={"help": "bfloat16 training (GPU)"})
    threads: int = field(
        default=1,
        metadata={
            "help": "CPU threads of torch (1 is fastest for a tiny model on a busy machine; 0: torch's default)"
        },
    )


def _pick(result: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: result[k] for k in keys}


def _data_and_base(cfg: SmokeConfig, out: Path, common: dict[str, Any]) -> dict[str, Any]:
    """Synthetic data, the tiny model, and its warm-up into a base model."""
    from finetune.pipeline import DataConfig, run_data
    from finetune.sft import SFTConfig, run_sft
    from finetune.tiny import TinyConfig, run_tiny

    # max_train: stratified sampling by category and intent keeps every category in the train split
    data = run_data(
        DataConfig(
            out=str(out / "data"),
            synthetic=cfg.dialogues,
            seed=cfg.seed + 7,
            max_train=cfg.dialogues * 3 // 5,
        )
    )
    splits = [str(out / "data" / f"{s}.jsonl") for s in ("train", "val", "test")]
    shape = TinyConfig(
        out=str(out / "tiny"),
        corpus=splits,
        synthetic=0,
        hidden=cfg.hidden,
        layers=cfg.layers,
        heads=cfg.heads,
        intermediate=cfg.intermediate or 2 * cfg.hidden,
        seed=cfg.seed,
    )
    tiny = run_tiny(shape)
    warm = run_sft(
        SFTConfig(
            model=str(out / "tiny"),
            out=str(out / "base"),
            lora=False,
            learning_rate=cfg.warmup_lr,
            max_steps=cfg.warmup_steps,
            eval_every=cfg.warmup_steps,
            **common,
        )
    )
    return {
        **_pick(data, "dialogues_in", "pii_dropped_share", "train_dialogues", "feedback_dialogues"),
        "tiny_parameters": tiny["parameters"],
        "warmup_loss_first": warm["sft_loss_first"],
        "warmup_loss_last": warm["sft_loss_last"],
    }


def _sft_and_distill(cfg: SmokeConfig, out: Path, common: dict[str, Any]) -> dict[str, Any]:
    """LoRA SFT with the KG loss, then distillation of the result into a smaller student."""
    from finetune.distill import DistillConfig, run_distill
    from finetune.sft import SFTConfig, run_sft

    sft = run_sft(
        SFTConfig(
            model=str(out / "base" / "merged"),
            out=str(out / "sft"),
            learning_rate=cfg.sft_lr,
            max_steps=cfg.sft_steps,
            eval_every=cfg.eval_every,
            **common,
        )
    )
    dist = run_distill(
        DistillConfig(
            teacher=str(out / "sft" / "merged"),
            student="tiny",
            student_hidden=cfg.hidden // 2,
            student_layers=1,
            out=str(out / "distill"),
            max_steps=cfg.distill_steps,
            learning_rate=cfg.distill_lr,
            **common,
        )
    )
    keys = (
        "train_examples",
        "kg_points",
        "sft_loss_first",
        "sft_loss_last",
        "ce_first",
        "ce_last",
        "kg_loss_first",
        "kg_loss_last",
        "val_losses",
        "early_stopped",
        "stopped_at_eval",
    )
    return {
        **_pick(sft, *keys),
        "val_kg_losses": sft["val_kg_losses"],
        "sft_config": sft["config"],
        **_pick(dist, "distill_loss_first", "distill_loss_last", "student_parameters"),
    }


def _rl(cfg: SmokeConfig, out: Path) -> dict[str, Any]:
    """A few GRPO (or RLOO) steps with a LoRA adapter on the SFT model."""
    from finetune.rl import RLConfig, run_rl

    rl = run_rl(
        RLConfig(
            model=str(out / "sft" / "merged"),
            data=str(out / "data"),
            out=str(out / "rl"),
            algorithm=cfg.algorithm,
            max_steps=cfg.rl_steps,
            batch_size=4,
            num_generations=4,
            max_completion_length=32,
            learning_rate=cfg.rl_lr,
            max_prompts=32,
            lora=True,
            seed=cfg.seed,
            bf16=cfg.bf16,
        )
    )
    return {**_pick(rl, "rl_algorithm", "rl_reward_first", "rl_reward_last"), "rl_rewards": rl["rewards"]}


def run_smoke(cfg: SmokeConfig) -> dict[str, Any]:
    """Run every stage; returns (and writes to OUT/metrics.json) the metrics of the chain."""
    import torch

    from finetune.export import ExportConfig, run_export

    if cfg.threads > 0:
        torch.set_num_threads(cfg.threads)
    started = time.monotonic()
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    common = {
        "data": str(out / "data"),
        "max_len": cfg.max_len,
        "batch_size": cfg.batch_size,
        "seed": cfg.seed,
        "device": cfg.device,
        "bf16": cfg.bf16,
    }
    metrics: dict[str, Any] = _data_and_base(cfg, out, common)
    metrics.update(_sft_and_distill(cfg, out, common))
    metrics.update(_rl(cfg, out))
    (out / "metrics_partial.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    export = run_export(
        ExportConfig(
            model=str(out / "rl"),
            out=str(out / "export"),
            bf16=False,
            metrics=str(out / "metrics_partial.json"),
            data_report=str(out / "data" / "report.json"),
        )
    )
    metrics.update(
        export_dir=export["export_dir"],
        sample_reply=export["sample_reply"],
        seconds=round(time.monotonic() - started, 1),
        smoke_config=asdict(cfg),
    )
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
    return metrics
