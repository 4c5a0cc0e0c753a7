"""Export stage: folders that `vllm serve` loads, plus a model card.

Input is a full model folder or a LoRA adapter folder (its base is read from adapter_config.json or
given with --base). Output:
- OUT/merged: base with the adapter merged, tokenizer with its chat template, safetensors;
- OUT/adapter: the LoRA adapter alone (when there is one), for vLLM's multi-LoRA serving;
- OUT/README.md: model card (data, metrics, configs, serving commands); OUT/serve.sh.

FP8: vLLM quantises the merged bf16 weights to FP8 when it loads them (`--quantization fp8`,
per-tensor scales, Hopper/Ada GPUs), halving weight memory with no calibration step here:
    vllm serve OUT/merged --served-model-name kefu --quantization fp8 --max-model-len 4096
    vllm serve BASE --enable-lora --lora-modules kefu=OUT/adapter        # adapter, unquantised base

    python -m finetune export --model var/ft/rl --out var/ft/export --metrics var/ft/metrics.json
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from finetune.resources import load_yaml


@dataclass
class ExportConfig:
    """Options of the export stage."""

    model: str = field(default="", metadata={"help": "full model folder or LoRA adapter folder"})
    base: str | None = field(
        default=None, metadata={"help": "base model of an adapter (default: from adapter_config.json)"}
    )
    out: str = field(default="var/finetune/export", metadata={"help": "export folder"})
    served_name: str = field(default="kefu", metadata={"help": "model name vLLM serves (settings.llm_model)"})
    metrics: str | None = field(default=None, metadata={"help": "JSON file of metrics for the model card"})
    data_report: str | None = field(
        default=None, metadata={"help": "the data stage's report.json for the card"}
    )
    bf16: bool = field(default=False, metadata={"help": "save the merged weights in bfloat16"})
    check_prompt: str = field(
        default="我要退货，生鲜可以七天无理由吗？",
        metadata={"help": "prompt of the reload-and-generate check"},
    )


def _load_merged(cfg: ExportConfig) -> tuple[Any, Any, Path | None, str | None]:
    """The merged model, its tokenizer, the adapter folder and its base (None, None for a full model)."""
    from finetune.modeling import ModelLoadError, load_causal_lm

    src = Path(cfg.model)
    adapter_cfg = src / "adapter_config.json"
    if not adapter_cfg.is_file():
        model, tok = load_causal_lm(cfg.model, "cpu", cfg.bf16)
        return model, tok, None, None
    from peft import PeftModel

    base = cfg.base or json.loads(adapter_cfg.read_text(encoding="utf-8")).get("base_model_name_or_path")
    if not base:
        raise ModelLoadError(f"adapter {src} names no base model: pass --base")
    model, tok = load_causal_lm(base, "cpu", cfg.bf16)
    if (src / "tokenizer_config.json").is_file():
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(str(src))
    return PeftModel.from_pretrained(model, str(src)).merge_and_unload(), tok, src, str(base)


def _copy_adapter(src: Path, dst: Path) -> None:
    """Copy the adapter's weights, config and tokenizer files (not trainer state or logs)."""
    dst.mkdir(parents=True, exist_ok=True)
    keep = ("adapter_", "tokenizer", "chat_template", "special_tokens_map", "added_tokens")
    for path in src.iterdir():
        if path.is_file() and path.name.startswith(keep):
            shutil.copy2(path, dst / path.name)


def check_generation(path: Path, prompt: str, max_new_tokens: int = 24) -> str:
    """Reload an exported folder with transformers and generate a reply (the export's smoke check)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(path))
    model = AutoModelForCausalLM.from_pretrained(str(path))
    enc: Any = tok.apply_chat_template(
        [{"role": "user", "content": prompt}],
        add_generation_prompt=True,
        return_tensors="pt",
        return_dict=True,
    )
    out = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tok.pad_token_id)
    return str(tok.decode(out[0, enc["input_ids"].shape[1] :], skip_special_tokens=True))


def run_export(cfg: ExportConfig) -> dict[str, Any]:
    """Write merged/adapter folders and the model card; verify the merged folder reloads and generates."""
    if not cfg.model:
        raise ValueError("--model is required")
    out = Path(cfg.out)
    model, tok, adapter, base = _load_merged(cfg)
    model.generation_config.pad_token_id = tok.pad_token_id
    model.save_pretrained(str(out / "merged"))
    tok.save_pretrained(str(out / "merged"))
    if adapter is not None:
        _copy_adapter(adapter, out / "adapter")
    sample = check_generation(out / "merged", cfg.check_prompt)
    metrics = _read_json(cfg.metrics)
    report = _read_json(cfg.data_report)
    (out / "README.md").write_text(model_card(cfg, model, metrics, report, sample, base), encoding="utf-8")
    (out / "serve.sh").write_text(serve_script(cfg, out), encoding="utf-8")
    return {
        "export_dir": str(out / "merged"),
        "adapter_dir": str(out / "adapter") if adapter else None,
        "model_card": str(out / "README.md"),
        "sample_reply": sample,
        "parameters": sum(p.numel() for p in model.parameters()),
    }


def _read_json(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"file not found: {p}")
    return json.loads(p.read_text(encoding="utf-8"))


def serve_script(cfg: ExportConfig, out: Path) -> str:
    """Shell commands that serve the export with vLLM (FP8 on the merged model)."""
    return (
        "#!/bin/sh\n# Serve the merged model, FP8-quantised on load (Hopper/Ada GPUs).\n"
        f"exec vllm serve {out / 'merged'} --served-model-name {cfg.served_name} --quantization fp8 "
        '--max-model-len 4096 "$@"\n'
    )


DATA_KEYS = (
    "dialogues_in",
    "pii_dropped_share",
    "train_dialogues",
    "val_dialogues",
    "test_dialogues",
    "feedback_dialogues",
    "duplicates_removed",
    "kg_contradicting_turns",
    "train_by_category",
)


def _facts_sections(metrics: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """The Data, Metrics and Configs sections of the card."""
    lines = ["## Data", ""]
    lines += [f"- {k}: {report[k]}" for k in DATA_KEYS if k in report] or ["- (no data report given)"]
    lines += ["", "## Metrics", ""]
    scalars = [f"- {k}: {v}" for k, v in metrics.items() if not isinstance(v, (dict, list))]
    lines += scalars or ["- (none given)"]
    configs = {k: v for k, v in metrics.items() if isinstance(v, dict) and k.endswith("config")}
    if configs:
        lines += ["", "## Configs", "", "```json", json.dumps(configs, ensure_ascii=False, indent=1), "```"]
    return lines + [""]


def model_card(
    cfg: ExportConfig,
    model: Any,
    metrics: dict[str, Any],
    report: dict[str, Any],
    sample: str,
    base: str | None,
) -> str:
    """The export's README.md: what the model is, the data, metrics, configs, and how to serve it."""
    card = load_yaml("model_card.yaml")
    params = sum(p.numel() for p in model.parameters())
    lines = [
        f"# {cfg.served_name}",
        "",
        card["intro"],
        "",
        "## Model",
        "",
        f"- architecture: {model.config.model_type}, parameters: {params:,}",
        f"- source: `{cfg.model}`" + (f" (LoRA adapter on `{base}`)" if base else ""),
        "",
    ]
    lines += _facts_sections(metrics, report)
    lines += [
        "## Serving",
        "",
        card["serving"].format(out=Path(cfg.out), name=cfg.served_name),
        "",
        "## Sample",
        "",
        f"Prompt: {cfg.check_prompt}",
        "",
        f"Reply: {sample!r}",
        "",
        "## Export config",
        "",
        "```json",
        json.dumps(asdict(cfg), ensure_ascii=False, indent=1),
        "```",
        "",
    ]
    return "\n".join(lines)
