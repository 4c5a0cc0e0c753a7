"""Distillation stage: a smaller student learns from the fine-tuned teacher.

L = α·L_ce + (1-α)·T²·KL(p_teacher‖p_student) on agent tokens (finetune/losses.py), T = 2.0 and
α = 0.5 by default. Teacher and student must share the tokenizer (logits are compared token by
token); a vocabulary padded to a different size is cut to the common part.

    python -m finetune distill --teacher var/ft/sft/merged --student Qwen/Qwen2.5-1.5B-Instruct \\
        --data var/ft/data --out var/ft/distill --bf16
    python -m finetune distill --teacher var/ft/sft/merged --student tiny --student-hidden 32 \\
        --student-layers 1 --data var/ft/data --out var/ft/distill   # student built from a config
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class DistillConfig:
    """Options of the distillation stage."""

    teacher: str = field(
        default="", metadata={"help": "teacher model folder or hub id (e.g. the SFT merged model)"}
    )
    student: str = field(
        default="tiny", metadata={"help": "student folder/hub id, or 'tiny' to build one from a config"}
    )
    student_hidden: int = field(default=32, metadata={"help": "hidden size of a 'tiny' student"})
    student_layers: int = field(default=1, metadata={"help": "layers of a 'tiny' student"})
    data: str = field(default="var/finetune/data", metadata={"help": "folder with train.jsonl and val.jsonl"})
    out: str = field(default="var/finetune/distill", metadata={"help": "output folder (OUT/model)"})
    alpha: float = field(default=0.5, metadata={"help": "weight of the hard-label CE"})
    temperature: float = field(default=2.0, metadata={"help": "softening temperature T (guide: 1.5-2.0)"})
    learning_rate: float = field(default=5e-4, metadata={"help": "AdamW learning rate of the student"})
    max_steps: int = field(default=200, metadata={"help": "optimizer steps"})
    batch_size: int = field(default=8, metadata={"help": "examples per step"})
    max_len: int = field(default=512, metadata={"help": "tokens per example"})
    max_train_examples: int = field(default=0, metadata={"help": "training dialogues used (0: all)"})
    seed: int = field(default=0, metadata={"help": "seed"})
    device: str = field(default="auto", metadata={"help": "auto, cpu or cuda"})
    bf16: bool = field(default=False, metadata={"help": "bfloat16 weights (GPU)"})


def _student(cfg: DistillConfig, tok: Any, device: str) -> Any:
    from finetune.modeling import load_causal_lm
    from finetune.tiny import TinyConfig, build_model

    if cfg.student == "tiny":
        heads = 4 if cfg.student_hidden % 4 == 0 else 1
        shape = TinyConfig(
            hidden=cfg.student_hidden,
            layers=cfg.student_layers,
            heads=heads,
            intermediate=cfg.student_hidden * 2,
            seed=cfg.seed,
        )
        return build_model(tok, shape).to(device)
    student, student_tok = load_causal_lm(cfg.student, device, cfg.bf16)
    if student_tok.get_vocab() != tok.get_vocab():
        raise ValueError("teacher and student tokenizers differ: distillation compares logits token by token")
    return student


def distill_loop(
    teacher: Any, student: Any, tok: Any, train: list[dict[str, Any]], cfg: DistillConfig, device: str
) -> list[dict[str, float]]:
    """Optimise the student for cfg.max_steps against the frozen teacher; returns per-step losses."""
    import torch

    from finetune.losses import distill_loss
    from finetune.modeling import batches, collate

    opt = torch.optim.AdamW(student.parameters(), lr=cfg.learning_rate)
    rng = random.Random(cfg.seed)
    log: list[dict[str, float]] = []
    student.train()
    while len(log) < cfg.max_steps:
        for batch in batches(train, cfg.batch_size, rng):
            t = collate(batch, tok.pad_token_id, device)
            with torch.no_grad():
                t_logits = teacher(input_ids=t["input_ids"], attention_mask=t["attention_mask"]).logits
            s_logits = student(input_ids=t["input_ids"], attention_mask=t["attention_mask"]).logits
            vocab = min(t_logits.size(-1), s_logits.size(-1))
            loss, ce, kl = distill_loss(
                s_logits[..., :vocab], t_logits[..., :vocab], t["labels"], cfg.alpha, cfg.temperature
            )
            loss.backward()
            torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
            opt.step()
            opt.zero_grad()
            log.append(
                {
                    "step": len(log) + 1,
                    "loss": float(loss.detach()),
                    "ce": float(ce.detach()),
                    "kl": float(kl.detach()),
                }
            )
            if len(log) >= cfg.max_steps:
                break
    return log


def run_distill(cfg: DistillConfig) -> dict[str, Any]:
    """Train the student against the teacher; saves OUT/model and returns first/last losses."""
    if not cfg.teacher:
        raise ValueError("--teacher is required")
    if not 0.0 <= cfg.alpha <= 1.0 or cfg.temperature <= 0 or cfg.max_steps < 1:
        raise ValueError("alpha must be in [0, 1], temperature > 0 and max_steps >= 1")
    import torch

    from finetune.modeling import load_causal_lm, load_examples, pick_device

    torch.manual_seed(cfg.seed)
    device = pick_device(cfg.device)
    teacher, tok = load_causal_lm(cfg.teacher, device, cfg.bf16)
    teacher.eval()
    student = _student(cfg, tok, device)
    train = load_examples(Path(cfg.data) / "train.jsonl", tok, None, cfg.max_len, cfg.max_train_examples)
    if not train:
        raise ValueError(f"no usable training examples in {cfg.data}")
    log = distill_loop(teacher, student, tok, train, cfg, device)
    out = Path(cfg.out) / "model"
    student.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    k = min(5, len(log))
    summary = {
        "out": str(out),
        "steps": len(log),
        "distill_loss_first": round(sum(x["loss"] for x in log[:k]) / k, 5),
        "distill_loss_last": round(sum(x["loss"] for x in log[-k:]) / k, 5),
        "student_parameters": sum(p.numel() for p in student.parameters()),
        "teacher_parameters": sum(p.numel() for p in teacher.parameters()),
        "config": asdict(cfg),
    }
    text = json.dumps({**summary, "log": log}, indent=1)
    (Path(cfg.out) / "distill_log.json").write_text(text, encoding="utf-8")
    return summary
