"""RL stage: optimise the policy on the service reward with GRPO (default) or RLOO from trl.

trl 1.16 has no PPOTrainer. GRPO is the default because (1) it needs no value model — the baseline
is the mean reward of a group of completions of the same prompt, which halves memory against PPO
on a 7B model; (2) group-normalised advantages (`scale_rewards="group"`) put our three reward
components of different spread on one footing; (3) trl's GRPO takes several reward functions
with `reward_weights` and logs each (rewards/<name>/mean), so the guide's 0.4/0.3/0.3 split stays
visible, and it generates with vLLM on GPU hosts (`--use-vllm`). RLOO (leave-one-out baseline,
KL-regularised by default with beta=0.05) takes the same options: `--algorithm rloo`.

The rewards are finetune/reward.py's registry functions, the same scorer the evaluation uses;
prompts are dialogue contexts up to an agent answer, carrying intent/emotion columns.

    python -m finetune rl --model var/ft/sft/merged --data var/ft/data --out var/ft/rl \\
        --bf16 --lora --num-generations 8 --max-steps 500 --use-vllm
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REWARD_NAMES = ("first_contact_resolution", "response_time", "emotion_fit")


@dataclass
class RLConfig:
    """Options of the RL stage."""

    model: str = field(default="", metadata={"help": "policy to start from (e.g. the SFT merged folder)"})
    data: str = field(default="var/finetune/data", metadata={"help": "folder with train.jsonl"})
    out: str = field(default="var/finetune/rl", metadata={"help": "output folder (the trained policy)"})
    algorithm: str = field(default="grpo", metadata={"help": "grpo or rloo"})
    max_steps: int = field(default=200, metadata={"help": "optimizer steps"})
    batch_size: int = field(default=4, metadata={"help": "completions per device step"})
    num_generations: int = field(default=4, metadata={"help": "completions per prompt (the group)"})
    max_completion_length: int = field(default=96, metadata={"help": "new tokens per completion"})
    learning_rate: float = field(default=1e-5, metadata={"help": "learning rate"})
    beta: float = field(default=-1.0, metadata={"help": "KL coefficient (negative: the trainer's default)"})
    temperature: float = field(default=1.0, metadata={"help": "sampling temperature of the rollouts"})
    max_prompts: int = field(default=0, metadata={"help": "prompts taken from train.jsonl (0: all)"})
    lora: bool = field(default=False, metadata={"help": "train a LoRA adapter instead of all weights"})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank"})
    use_vllm: bool = field(default=False, metadata={"help": "generate rollouts with vLLM (GPU hosts)"})
    bf16: bool = field(default=False, metadata={"help": "bfloat16 (GPU)"})
    seed: int = field(default=0, metadata={"help": "seed"})


def build_prompts(path: Path, limit: int = 0) -> list[dict[str, Any]]:
    """RL prompts with the reward columns (intent, emotion, intensity) from a dialogue split."""
    from finetune.chat_format import prompt_and_reference
    from finetune.dialogues import load_dialogues

    if not path.is_file():
        raise FileNotFoundError(f"split file not found: {path} (run `python -m finetune data` first)")
    rows = [r for d in load_dialogues(path).dialogues if (r := prompt_and_reference(d)) is not None]
    return rows[:limit] if limit else rows


def _args(cfg: RLConfig) -> Any:
    """The trl GRPOConfig or RLOOConfig of this run (both take the same options used here)."""
    from finetune.reward import WEIGHTS

    if cfg.algorithm not in ("grpo", "rloo"):
        raise ValueError(f"algorithm must be grpo or rloo, got {cfg.algorithm!r}")
    import trl

    config_cls: Any = trl.GRPOConfig if cfg.algorithm == "grpo" else trl.RLOOConfig
    extra: dict[str, Any] = {"beta": cfg.beta} if cfg.beta >= 0 else {}
    return config_cls(
        output_dir=str(Path(cfg.out) / "trainer"),
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size,
        num_generations=cfg.num_generations,
        max_completion_length=cfg.max_completion_length,
        learning_rate=cfg.learning_rate,
        temperature=cfg.temperature,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        bf16=cfg.bf16,
        use_cpu=not _cuda(),
        seed=cfg.seed,
        reward_weights=[WEIGHTS[n] for n in REWARD_NAMES],
        use_vllm=cfg.use_vllm,
        disable_tqdm=True,
        **extra,
    )


def _trainer(cfg: RLConfig, model: Any, tok: Any, dataset: Any) -> Any:
    from transformers.trainer_callback import PrinterCallback

    from finetune.reward import REWARDS

    args = _args(cfg)
    import trl

    trainer_cls: Any = trl.GRPOTrainer if cfg.algorithm == "grpo" else trl.RLOOTrainer
    peft_config = None
    if cfg.lora:
        from peft import LoraConfig

        from finetune.modeling import lora_targets

        peft_config = LoraConfig(
            r=cfg.lora_r,
            lora_alpha=2 * cfg.lora_r,
            lora_dropout=0.1,
            task_type="CAUSAL_LM",
            target_modules=lora_targets(model),
        )
    rewards: list[Any] = [REWARDS[n] for n in REWARD_NAMES]
    trainer = trainer_cls(
        model=model,
        reward_funcs=rewards,
        args=args,
        train_dataset=dataset,
        processing_class=tok,
        peft_config=peft_config,
    )
    # logs stay in state.log_history; stdout carries the JSON summary only
    trainer.remove_callback(PrinterCallback)
    return trainer


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def run_rl(cfg: RLConfig) -> dict[str, Any]:
    """Run GRPO/RLOO; saves the policy to OUT and returns the reward trajectory."""
    if not cfg.model:
        raise ValueError("--model is required")
    if cfg.batch_size % cfg.num_generations:
        raise ValueError(
            f"batch_size ({cfg.batch_size}) must be a multiple of num_generations ({cfg.num_generations})"
        )
    from datasets import Dataset

    from finetune.modeling import load_causal_lm

    rows = build_prompts(Path(cfg.data) / "train.jsonl", cfg.max_prompts)
    if not rows:
        raise ValueError(f"no RL prompts in {cfg.data}/train.jsonl")
    model, tok = load_causal_lm(cfg.model, "cpu", cfg.bf16)
    dataset = Dataset.from_list([{k: v for k, v in r.items() if k != "reference"} for r in rows])
    trainer = _trainer(cfg, model, tok, dataset)
    trainer.train()
    rewards = [e["reward"] for e in trainer.state.log_history if "reward" in e]
    trainer.save_model(cfg.out)
    tok.save_pretrained(cfg.out)
    components = {
        n: [e[f"rewards/{n}/mean"] for e in trainer.state.log_history if f"rewards/{n}/mean" in e]
        for n in REWARD_NAMES
    }
    summary = {
        "out": cfg.out,
        "rl_algorithm": cfg.algorithm,
        "steps": trainer.state.global_step,
        "prompts": len(rows),
        "rl_reward_first": rewards[0] if rewards else None,
        "rl_reward_last": rewards[-1] if rewards else None,
        "rewards": rewards,
        "components_last": {n: v[-1] for n, v in components.items() if v},
        "config": asdict(cfg),
    }
    (Path(cfg.out) / "rl_log.json").write_text(
        json.dumps({**summary, "log": trainer.state.log_history}, indent=1, default=str), encoding="utf-8"
    )
    return summary
