"""Shared model plumbing: device, loading with clear errors, LoRA targets, batching of examples."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from finetune.dialogues import load_dialogues

# LoRA target modules by architecture (config.model_type): attention projections of each family.
LORA_TARGETS: dict[str, list[str]] = {
    "llama": ["q_proj", "v_proj"],
    "qwen2": ["q_proj", "v_proj"],
    "qwen3": ["q_proj", "v_proj"],
    "mistral": ["q_proj", "v_proj"],
    "gemma": ["q_proj", "v_proj"],
    "gemma2": ["q_proj", "v_proj"],
    "internlm2": ["wqkv"],
    "baichuan": ["W_pack"],
    "phi3": ["qkv_proj"],
    "yi": ["q_proj", "v_proj"],
    "gpt_neox": ["query_key_value"],
    "chatglm": ["query_key_value"],
    "bloom": ["query_key_value"],
    "falcon": ["query_key_value"],
    "gpt2": ["c_attn"],
    "gpt_bigcode": ["c_attn"],
}
_FALLBACK_NAMES = ("q_proj", "v_proj", "query_key_value", "c_attn", "qkv_proj", "Wqkv", "wqkv")


class ModelLoadError(ValueError):
    """A model or tokenizer that cannot be loaded (missing folder, not downloadable, bad files)."""


def pick_device(preference: str = "auto") -> str:
    """'cuda' when asked for or available (auto), else 'cpu'."""
    import torch

    if preference == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if preference == "cuda" and not torch.cuda.is_available():
        raise ModelLoadError("device 'cuda' requested but no CUDA device is available")
    return preference


def load_causal_lm(
    name: str, device: str = "cpu", bf16: bool = False, chat_template: str | None = None
) -> tuple[Any, Any]:
    """Model and tokenizer from a local folder or hub id, with one clear error when that fails."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    if not name or not str(name).strip():
        raise ModelLoadError("no model given")
    looks_local = str(name).startswith((".", "/", "~")) or Path(name).exists()
    if looks_local and not Path(name).expanduser().is_dir():
        raise ModelLoadError(f"model folder not found: {name}")
    try:
        tok = AutoTokenizer.from_pretrained(name)
        dtype = torch.bfloat16 if bf16 else torch.float32
        model = AutoModelForCausalLM.from_pretrained(name, dtype=dtype)
    except (OSError, ValueError, KeyError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelLoadError(
            f"cannot load model '{name}' (a local folder or a reachable hub id): {first}"
        ) from exc
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    if chat_template:
        template = Path(chat_template)
        if not template.is_file():
            raise ModelLoadError(f"chat template file not found: {chat_template}")
        tok.chat_template = template.read_text(encoding="utf-8")
    if not getattr(tok, "chat_template", None):
        raise ModelLoadError(f"tokenizer of '{name}' has no chat template: pass --chat-template FILE.jinja")
    loaded: Any = model
    return loaded.to(device), tok


def lora_targets(model: Any, requested: list[str] | None = None) -> list[str]:
    """The LoRA target modules: requested ones, the architecture's table entry, or a scan."""
    if requested:
        return list(requested)
    known = LORA_TARGETS.get(getattr(model.config, "model_type", ""))
    if known:
        return known
    names = {n.rsplit(".", 1)[-1] for n, _ in model.named_modules()}
    found = [n for n in _FALLBACK_NAMES if n in names]
    if not found:
        raise ModelLoadError(
            f"no LoRA target modules known for model type {model.config.model_type!r}; pass --target-modules"
        )
    return found[:2] if found[:2] == ["q_proj", "v_proj"] else found[:1]


def apply_lora(model: Any, r: int, alpha: int, dropout: float, targets: list[str] | None) -> Any:
    """Wrap the model with a LoRA adapter (peft), returning the PeftModel."""
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(
        r=r,
        lora_alpha=alpha,
        lora_dropout=dropout,
        bias="none",
        task_type="CAUSAL_LM",
        target_modules=lora_targets(model, targets),
    )
    return get_peft_model(model, config)


def load_examples(path: Path, tokenizer: Any, kg: Any, max_len: int, limit: int = 0) -> list[dict[str, Any]]:
    """Encoded training examples of a split file (see finetune/chat_format.py)."""
    from finetune.chat_format import encode_dialogue

    if not path.is_file():
        raise FileNotFoundError(f"split file not found: {path} (run `python -m finetune data` first)")
    dialogues = load_dialogues(path).dialogues
    if limit:
        dialogues = dialogues[:limit]
    return [ex for d in dialogues if (ex := encode_dialogue(tokenizer, d, kg, max_len)) is not None]


def batches(
    examples: list[dict[str, Any]], size: int, rng: random.Random | None
) -> list[list[dict[str, Any]]]:
    """Examples grouped into batches (shuffled when an rng is given)."""
    order = list(range(len(examples)))
    if rng is not None:
        rng.shuffle(order)
    return [[examples[i] for i in order[k : k + size]] for k in range(0, len(order), size)]


def collate(batch: list[dict[str, Any]], pad_id: int, device: str) -> dict[str, Any]:
    """Right-padded tensors plus the KG decision points of the batch."""
    import torch

    width = max(len(ex["input_ids"]) for ex in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    attn = torch.zeros((len(batch), width), dtype=torch.long)
    points = [(b, j, g, rv) for b, ex in enumerate(batch) for j, g, rv in ex.get("kg", [])]
    k = max((len(p[3]) for p in points), default=1)
    for b, ex in enumerate(batch):
        n = len(ex["input_ids"])
        ids[b, :n] = torch.tensor(ex["input_ids"])
        labels[b, :n] = torch.tensor(ex["labels"])
        attn[b, :n] = 1
    kg = {
        "batch_idx": torch.tensor([p[0] for p in points], dtype=torch.long),
        "positions": torch.tensor([p[1] for p in points], dtype=torch.long),
        "gold": torch.tensor([p[2] for p in points], dtype=torch.long),
        "rivals": torch.tensor([p[3] + [-1] * (k - len(p[3])) for p in points], dtype=torch.long).reshape(
            -1, k
        ),
    }
    return {
        "input_ids": ids.to(device),
        "attention_mask": attn.to(device),
        "labels": labels.to(device),
        "kg": {name: t.to(device) for name, t in kg.items()},
    }
