"""The `vllm serve` command line for kefu's fine-tuned model (vLLM runs on GPU hosts, not here).

Traffic profiles map the design guide's dynamic batch sizes (quiet 8 / normal 16 / promotion 32)
to vLLM's `--max-num-seqs`, with a matching `--max-num-batched-tokens`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROFILES: dict[str, dict[str, int]] = {
    "quiet": {"max_num_seqs": 8, "max_num_batched_tokens": 4096},
    "normal": {"max_num_seqs": 16, "max_num_batched_tokens": 8192},
    "promotion": {"max_num_seqs": 32, "max_num_batched_tokens": 16384},
}
_ADAPTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class VllmCommandError(ValueError):
    """Bad input for the command builder (unknown profile, malformed adapter, bad port)."""


@dataclass
class Adapter:
    """A LoRA adapter served under `name` (the name clients send as `model`)."""

    name: str
    path: str


def parse_adapter(spec: str) -> Adapter:
    """'NAME=PATH' -> Adapter."""
    name, sep, path = spec.partition("=")
    if not sep or not path.strip() or not _ADAPTER_NAME.match(name.strip()):
        raise VllmCommandError(f"adapter must look like NAME=PATH (letters, digits, . _ -): {spec!r}")
    return Adapter(name.strip(), path.strip())


def vllm_command(model: str, *, adapters: list[Adapter] | None = None, profile: str = "normal",
                 host: str = "127.0.0.1", port: int = 8001, served_name: str = "kefu",
                 quantization: str | None = "fp8", max_model_len: int = 4096, lora_rank: int = 16) -> list[str]:
    """argv of `vllm serve` for a merged model, or a base model plus LoRA adapters."""
    if profile not in PROFILES:
        raise VllmCommandError(f"unknown profile {profile!r}: choose {', '.join(PROFILES)}")
    if not 1 <= port <= 65535:
        raise VllmCommandError(f"port out of range: {port}")
    if not model.strip():
        raise VllmCommandError("a model path or name is required")
    tuning = PROFILES[profile]
    argv = ["vllm", "serve", model, "--host", host, "--port", str(port), "--served-model-name", served_name]
    if quantization:
        argv += ["--quantization", quantization]
    argv += [
        "--enable-prefix-caching",
        "--max-model-len", str(max_model_len),
        "--max-num-seqs", str(tuning["max_num_seqs"]),
        "--max-num-batched-tokens", str(tuning["max_num_batched_tokens"]),
        "--gpu-memory-utilization", "0.90",
    ]
    if adapters:
        argv += ["--enable-lora", "--max-lora-rank", str(lora_rank), "--max-loras", str(len(adapters)),
                 "--lora-modules", *[f"{a.name}={a.path}" for a in adapters]]
    return argv
