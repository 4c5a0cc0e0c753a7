"""SFT stage: LoRA fine-tuning of any Hugging Face causal LM on the chat-formatted dialogues.

Loss only on agent turns; L_total = (1-w)·L_ce + w·L_kg with w = 0.3 (finetune/losses.py defines
L_kg over the KG of finetune/kg.py). Evaluates the validation CE every `eval_every` steps and stops
early when it rises `patience` (3) evaluations in a row; the best adapter weights are restored.

    # LoRA on a real 7B model (GPU host):
    python -m finetune sft --model Qwen/Qwen2.5-7B-Instruct --data var/ft/data --out var/ft/sft \\
        --bf16 --batch-size 4 --grad-accum 8 --epochs 2 --max-len 1024
    # full fine-tuning of a small model:
    python -m finetune sft --model var/ft/tiny --data var/ft/data --out var/ft/sft --no-lora
Writes OUT/adapter (LoRA) or OUT/model, OUT/merged (base + adapter), OUT/sft_log.json.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SFTConfig:
    """Options of the SFT stage."""

    model: str = field(default="", metadata={"help": "base model: local folder or hub id"})
    data: str = field(default="var/finetune/data", metadata={"help": "folder with train.jsonl and val.jsonl"})
    out: str = field(default="var/finetune/sft", metadata={"help": "output folder"})
    lora: bool = field(default=True, metadata={"help": "train a LoRA adapter (else all weights)"})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank"})
    lora_alpha: int = field(default=32, metadata={"help": "LoRA scaling alpha"})
    lora_dropout: float = field(default=0.1, metadata={"help": "LoRA dropout"})
    target_modules: list[str] = field(
        default_factory=list, metadata={"help": "LoRA targets (empty: by architecture)"}
    )
    kg_weight: float = field(default=0.3, metadata={"help": "w in L_total = (1-w)·L_ce + w·L_kg"})
    learning_rate: float = field(default=2e-4, metadata={"help": "AdamW learning rate"})
    epochs: float = field(default=1.0, metadata={"help": "passes over the training set"})
    max_steps: int = field(
        default=0, metadata={"help": "stop after this many optimizer steps (0: epochs decide)"}
    )
    batch_size: int = field(default=8, metadata={"help": "examples per micro-batch"})
    grad_accum: int = field(default=1, metadata={"help": "micro-batches per optimizer step"})
    max_len: int = field(default=512, metadata={"help": "tokens per example (longer are cut)"})
    eval_every: int = field(default=20, metadata={"help": "optimizer steps between validation evaluations"})
    patience: int = field(
        default=3, metadata={"help": "consecutive validation-loss rises that stop training"}
    )
    max_train_examples: int = field(
        default=0, metadata={"help": "use only this many training dialogues (0: all)"}
    )
    probe_examples: int = field(
        default=64,
        metadata={"help": "training dialogues scored before and after training (first/last losses)"},
    )
    max_val_examples: int = field(
        default=64, metadata={"help": "validation dialogues per evaluation (0: all)"}
    )
    seed: int = field(default=0, metadata={"help": "shuffling and initialisation seed"})
    device: str = field(default="auto", metadata={"help": "auto, cpu or cuda"})
    bf16: bool = field(default=False, metadata={"help": "load and train in bfloat16 (GPU)"})
    gradient_checkpointing: bool = field(
        default=False,
        metadata={"help": "recompute activations in the backward pass (less memory, ~30% slower)"},
    )
    chat_template: str = field(
        default="", metadata={"help": "Jinja chat template file for tokenizers without one (base models)"}
    )
    save_merged: bool = field(
        default=True, metadata={"help": "also write OUT/merged (base with the adapter merged)"}
    )


def _validate(cfg: SFTConfig) -> None:
    if not cfg.model:
        raise ValueError("--model is required (a local folder or a hub id)")
    if not 0.0 <= cfg.kg_weight < 1.0:
        raise ValueError(f"kg_weight must be in [0, 1), got {cfg.kg_weight}")
    if cfg.batch_size < 1 or cfg.grad_accum < 1 or cfg.eval_every < 1:
        raise ValueError("batch_size, grad_accum and eval_every must be >= 1")


@dataclass
class TrainLog:
    """What the loop saw: per-step losses, per-evaluation validation loss, early stopping."""

    steps: list[dict[str, float]] = field(default_factory=list)
    evals: list[dict[str, float]] = field(default_factory=list)
    early_stopped: bool = False
    stopped_at_eval: int | None = None
    best_eval: int = -1
    seconds: float = 0.0


def evaluate(
    model: Any, examples: list[dict[str, Any]], batch_size: int, pad_id: int, device: str
) -> tuple[float, float]:
    """Mean validation CE on agent tokens, and mean KG loss over the batches that have decision points."""
    import torch

    from finetune.losses import causal_ce, kg_loss
    from finetune.modeling import batches, collate

    model.eval()
    total, n, kg_total, kg_n = 0.0, 0, 0.0, 0
    with torch.no_grad():
        for batch in batches(examples, batch_size, None):
            t = collate(batch, pad_id, device)
            logits = model(input_ids=t["input_ids"], attention_mask=t["attention_mask"]).logits
            total += float(causal_ce(logits, t["labels"])) * len(batch)
            n += len(batch)
            points = int(t["kg"]["positions"].numel())
            if points:
                kg_total += float(kg_loss(logits, **t["kg"])) * points
                kg_n += points
    model.train()
    return total / max(1, n), kg_total / max(1, kg_n)


class _Validator:
    """Periodic validation with early stopping; keeps a copy of the best trainable weights."""

    def __init__(
        self, model: Any, val: list[dict[str, Any]], cfg: SFTConfig, pad_id: int, device: str
    ) -> None:
        from finetune.early_stop import EarlyStopping

        self.model, self.val, self.cfg, self.pad_id, self.device = model, val, cfg, pad_id, device
        self.stopper = EarlyStopping(cfg.patience)
        self.best_state: dict[str, Any] | None = None

    def __call__(self, step: int, log: TrainLog) -> None:
        loss, kg = evaluate(self.model, self.val, self.cfg.batch_size, self.pad_id, self.device)
        log.evals.append({"step": step, "val_loss": loss, "val_kg": kg})
        if self.stopper.update(loss):
            log.early_stopped, log.stopped_at_eval = True, self.stopper.stopped_at
        if self.stopper.is_best:
            params = self.model.named_parameters()
            self.best_state = {n: p.detach().clone() for n, p in params if p.requires_grad}

    def finish(self, log: TrainLog) -> None:
        """Restore the best weights after an early stop."""
        if self.best_state is not None and log.early_stopped:
            self.model.load_state_dict(self.best_state, strict=False)
        log.best_eval = self.stopper.best_eval


def train_loop(
    model: Any, tok: Any, train: list[dict[str, Any]], val: list[dict[str, Any]], cfg: SFTConfig, device: str
) -> TrainLog:
    """The optimisation loop with KG loss, periodic validation and early stopping."""
    import torch

    from finetune.losses import causal_ce, kg_loss, total_loss
    from finetune.modeling import batches, collate

    rng = random.Random(cfg.seed)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.learning_rate)
    log, validate = TrainLog(), _Validator(model, val, cfg, tok.pad_token_id, device)
    per_epoch = max(1, len(train) // (cfg.batch_size * cfg.grad_accum))
    max_steps = cfg.max_steps or max(1, int(per_epoch * cfg.epochs))
    started, step, micro = time.monotonic(), 0, []
    validate(0, log)  # the starting point: later rises and the KG loss are measured against it
    model.train()
    while step < max_steps and not log.early_stopped:
        for batch in batches(train, cfg.batch_size, rng):
            t = collate(batch, tok.pad_token_id, device)
            logits = model(input_ids=t["input_ids"], attention_mask=t["attention_mask"]).logits
            ce, kg = causal_ce(logits, t["labels"]), kg_loss(logits, **t["kg"])
            (total_loss(ce, kg, cfg.kg_weight) / cfg.grad_accum).backward()
            micro.append((float(ce.detach()), float(kg.detach())))
            if len(micro) < cfg.grad_accum:
                continue
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            opt.zero_grad()
            step += 1
            ce_m, kg_m = (sum(x) / len(micro) for x in zip(*micro, strict=False))
            total = (1 - cfg.kg_weight) * ce_m + cfg.kg_weight * kg_m
            log.steps.append({"step": step, "ce": ce_m, "kg": kg_m, "total": total})
            micro = []
            if step % cfg.eval_every == 0 or step == max_steps:
                validate(step, log)
            if step >= max_steps or log.early_stopped:
                break
    validate.finish(log)
    log.seconds = round(time.monotonic() - started, 2)
    return log


def run_sft(cfg: SFTConfig) -> dict[str, Any]:
    """Train and save; returns a summary with first/last losses and early-stopping facts."""
    _validate(cfg)
    import torch

    from finetune.kg import build_kg
    from finetune.modeling import apply_lora, load_causal_lm, load_examples, pick_device

    torch.manual_seed(cfg.seed)
    device = pick_device(cfg.device)
    data = Path(cfg.data)
    model, tok = load_causal_lm(cfg.model, device, cfg.bf16, cfg.chat_template or None)
    if cfg.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()  # LoRA: inputs must carry grads through checkpoints
    kg = build_kg()
    train = load_examples(data / "train.jsonl", tok, kg, cfg.max_len, cfg.max_train_examples)
    val = load_examples(data / "val.jsonl", tok, kg, cfg.max_len, cfg.max_val_examples)
    if not train or not val:
        raise ValueError(f"no usable examples in {data} (train {len(train)}, val {len(val)})")
    if cfg.lora:
        model = apply_lora(model, cfg.lora_r, cfg.lora_alpha, cfg.lora_dropout, cfg.target_modules or None)
    # A fixed probe of training dialogues, scored before and after: first/last losses that compare
    # the same examples (per-step batch losses differ in content and are too noisy for that).
    probe = train[: cfg.probe_examples]
    before = evaluate(model, probe, cfg.batch_size, tok.pad_token_id, device)
    log = train_loop(model, tok, train, val, cfg, device)
    after = evaluate(model, probe, cfg.batch_size, tok.pad_token_id, device)
    summary = save_sft(model, tok, cfg, log, (before, after))
    summary.update(
        train_examples=len(train),
        val_examples=len(val),
        kg_points=sum(len(ex["kg"]) for ex in train),
        device=device,
    )
    (Path(cfg.out) / "sft_log.json").write_text(
        json.dumps({**summary, "log": asdict(log)}, indent=1), encoding="utf-8"
    )
    return summary


def save_sft(
    model: Any,
    tok: Any,
    cfg: SFTConfig,
    log: TrainLog,
    probe: tuple[tuple[float, float], tuple[float, float]],
) -> dict[str, Any]:
    """Write adapter/model (+ merged) folders; returns the summary numbers.

    probe: (ce, kg) on the fixed training probe before and after training.
    """
    (ce_b, kg_b), (ce_a, kg_a), w = probe[0], probe[1], cfg.kg_weight
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    if cfg.lora:
        model.save_pretrained(str(out / "adapter"))
        tok.save_pretrained(str(out / "adapter"))
        if cfg.save_merged:
            merged = model.merge_and_unload()
            merged.save_pretrained(str(out / "merged"))
            tok.save_pretrained(str(out / "merged"))
    else:
        model.save_pretrained(str(out / "merged"))
        tok.save_pretrained(str(out / "merged"))
    return {
        "out": str(out),
        "steps": len(log.steps),
        "sft_loss_first": round((1 - w) * ce_b + w * kg_b, 5),
        "sft_loss_last": round((1 - w) * ce_a + w * kg_a, 5),
        "ce_first": round(ce_b, 5),
        "ce_last": round(ce_a, 5),
        "kg_loss_first": round(kg_b, 5),
        "kg_loss_last": round(kg_a, 5),
        "batch_loss_first": _edge(log, "total", True),
        "batch_loss_last": _edge(log, "total", False),
        "val_losses": [e["val_loss"] for e in log.evals],
        "val_kg_losses": [e["val_kg"] for e in log.evals],
        "early_stopped": log.early_stopped,
        "stopped_at_eval": log.stopped_at_eval,
        "best_eval": log.best_eval,
        "seconds": log.seconds,
        "config": asdict(cfg),
    }


def _edge(log: TrainLog, key: str, first: bool, k: int = 5) -> float:
    """Mean of `key` over the first (or last) k steps: one batch alone is too noisy to compare."""
    values = [s[key] for s in log.steps]
    part = values[:k] if first else values[-k:]
    return round(sum(part) / len(part), 5) if part else float("nan")
