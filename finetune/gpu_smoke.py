"""GPU smoke of the training chain: the same stages as `python -m finetune smoke`, on CUDA in bf16.

No model can be downloaded on the GPU hosts either, so the model is built from a config. Presets:
- `small`  (default): Llama shape, hidden 512, 8 layers, 8 heads (~25M parameters with the
  character vocabulary) — checks every stage end to end on CUDA/bf16, in about 1-2 minutes;
- `wide`: 4 layers with the hidden/MLP/heads of a 7B Llama (4096/11008/32) — LoRA, KG loss,
  GRPO and export on 7B-sized matrices (~0.8B parameters), about 3-4 minutes on one H100.

    python -m finetune.gpu_smoke --out /tmp/ft-gpu                  # small preset
    python -m finetune.gpu_smoke --out /tmp/ft-gpu --preset wide
    python -m finetune.gpu_smoke --out /tmp/ft-cpu --allow-cpu      # dry run of the script on a CPU

Writes OUT/metrics.json (the smoke metrics) and OUT/gpu_metrics.json (device, preset, peak GPU
memory, wall time). Exit code 2 when no CUDA device is present (unless --allow-cpu).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

PRESETS: dict[str, dict[str, Any]] = {
    "small": {
        "hidden": 512,
        "layers": 8,
        "heads": 8,
        "intermediate": 1408,
        "dialogues": 1200,
        "warmup_steps": 150,
        "sft_steps": 120,
        "eval_every": 20,
        "distill_steps": 60,
        "rl_steps": 8,
        "max_len": 384,
        "batch_size": 16,
        "warmup_lr": 1e-3,
        "sft_lr": 3e-3,
        "distill_lr": 1e-3,
        "rl_lr": 1e-4,
    },
    "wide": {
        "hidden": 4096,
        "layers": 4,
        "heads": 32,
        "intermediate": 11008,
        "dialogues": 800,
        "warmup_steps": 60,
        "sft_steps": 60,
        "eval_every": 15,
        "distill_steps": 30,
        "rl_steps": 4,
        "max_len": 384,
        "batch_size": 8,
        "warmup_lr": 3e-4,
        "sft_lr": 1e-3,
        "distill_lr": 5e-4,
        "rl_lr": 1e-5,
    },
    "cpu": {
        "hidden": 64,
        "layers": 2,
        "heads": 4,
        "intermediate": 128,
        "dialogues": 200,
        "warmup_steps": 20,
        "sft_steps": 10,
        "eval_every": 5,
        "distill_steps": 5,
        "rl_steps": 2,
        "max_len": 160,
        "batch_size": 8,
    },
}


def run(out: str, preset: str, allow_cpu: bool) -> dict[str, Any]:
    """Run the smoke chain with a preset on CUDA (or the CPU preset when allowed); returns GPU facts."""
    import torch

    from finetune.smoke import SmokeConfig, run_smoke

    cuda = torch.cuda.is_available()
    if not cuda and not allow_cpu:
        raise RuntimeError("no CUDA device: run on a GPU host, or pass --allow-cpu for a dry run")
    shape = PRESETS[preset if cuda else "cpu"]
    cfg = SmokeConfig(out=out, device="cuda" if cuda else "cpu", bf16=cuda, threads=0 if cuda else 1, **shape)
    started = time.monotonic()
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    metrics = run_smoke(cfg)
    facts = {
        "device": torch.cuda.get_device_name(0) if cuda else "cpu",
        "preset": preset if cuda else "cpu",
        "bf16": cuda,
        "peak_gpu_memory_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else 0.0,
        "wall_s": round(time.monotonic() - started, 1),
        "sft_loss_first": metrics["sft_loss_first"],
        "sft_loss_last": metrics["sft_loss_last"],
        "rl_reward_first": metrics["rl_reward_first"],
        "rl_reward_last": metrics["rl_reward_last"],
        "export_dir": metrics["export_dir"],
    }
    (Path(out) / "gpu_metrics.json").write_text(json.dumps(facts, indent=1), encoding="utf-8")
    return facts


def main(argv: list[str] | None = None) -> int:
    """Command line of the GPU smoke; prints the GPU facts as JSON."""
    parser = argparse.ArgumentParser(prog="python -m finetune.gpu_smoke", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="/tmp/kefu-ft-gpu-smoke", help="output folder")
    parser.add_argument(
        "--preset", choices=["small", "wide"], default="small", help="model shape (see module doc)"
    )
    parser.add_argument(
        "--allow-cpu", action="store_true", help="run the tiny CPU preset when no GPU is present"
    )
    args = parser.parse_args(argv)
    try:
        facts = run(args.out, args.preset, args.allow_cpu)
    except RuntimeError as exc:
        sys.stderr.write(f"gpu_smoke: {exc}\n")
        return 2
    sys.stdout.write(json.dumps(facts, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
