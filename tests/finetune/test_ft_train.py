"""Training stages end to end on a tiny model built from a config (no download)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from finetune.dialogues import load_dialogues, save_dialogues

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Iterator[Path]:
    """Data splits, a tiny model and a warmed-up base (stands in for a pretrained model)."""
    import torch

    from finetune.pipeline import DataConfig, run_data
    from finetune.sft import SFTConfig, run_sft
    from finetune.tiny import TinyConfig, run_tiny

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model on a shared machine trains ~10x faster on one thread
    root = tmp_path_factory.mktemp("ft")
    run_data(DataConfig(out=str(root / "data"), synthetic=200, seed=3))
    splits = [str(root / "data" / f"{s}.jsonl") for s in ("train", "val", "test")]
    run_tiny(TinyConfig(out=str(root / "tiny"), corpus=splits, synthetic=0))
    run_sft(
        SFTConfig(
            model=str(root / "tiny"),
            data=str(root / "data"),
            out=str(root / "base"),
            lora=False,
            learning_rate=3e-3,
            max_steps=30,
            eval_every=30,
            max_len=160,
        )
    )
    yield root
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def sft(ws: Path) -> dict:
    from finetune.sft import SFTConfig, run_sft

    return run_sft(
        SFTConfig(
            model=str(ws / "base" / "merged"),
            data=str(ws / "data"),
            out=str(ws / "sft"),
            learning_rate=5e-3,
            max_steps=25,
            eval_every=5,
            max_len=160,
        )
    )


def test_sft_lora_with_kg_loss_learns(ws, sft):
    assert sft["kg_points"] > 0 and sft["train_examples"] > 50
    assert sft["sft_loss_last"] < sft["sft_loss_first"]
    assert sft["kg_loss_last"] < sft["kg_loss_first"]  # KG decision points of the training probe
    assert sft["val_losses"][-1] < sft["val_losses"][0]
    assert len(sft["val_losses"]) == 1 + 25 // 5  # the starting point, then every 5 steps
    adapter = json.loads((ws / "sft" / "adapter" / "adapter_config.json").read_text())
    assert (adapter["r"], adapter["lora_alpha"], adapter["lora_dropout"]) == (16, 32, 0.1)
    assert set(adapter["target_modules"]) == {"q_proj", "v_proj"}


def _shuffled_val(ws: Path, dst: Path) -> None:
    """Validation dialogues whose agent turns are shuffled characters: fitting train makes them less likely."""
    dst.mkdir()
    shutil.copy(ws / "data" / "train.jsonl", dst / "train.jsonl")
    rng = random.Random(0)
    val = load_dialogues(ws / "data" / "val.jsonl").dialogues
    for d in val:
        for t in d.turns:
            if t.role == "agent":
                chars = list(t.text)
                rng.shuffle(chars)
                t.text = "".join(chars)
    save_dialogues(val, dst / "val.jsonl")


def test_early_stopping_on_rising_validation_loss(ws, tmp_path):
    from finetune.sft import SFTConfig, run_sft

    _shuffled_val(ws, tmp_path / "data")
    r = run_sft(
        SFTConfig(
            model=str(ws / "base" / "merged"),
            data=str(tmp_path / "data"),
            out=str(tmp_path / "o"),
            lora=False,
            learning_rate=1e-2,
            max_steps=120,
            eval_every=2,
            max_len=160,
            save_merged=False,
        )
    )
    assert r["early_stopped"] is True and r["steps"] < 120
    v, k = r["val_losses"], r["stopped_at_eval"]
    assert k == len(v) - 1 and v[k] > v[k - 1] > v[k - 2] > v[k - 3]
    assert r["best_eval"] < k - 2


def test_distillation_student_learns(ws, sft, tmp_path):
    from finetune.distill import DistillConfig, run_distill

    r = run_distill(
        DistillConfig(
            teacher=str(ws / "sft" / "merged"),
            student="tiny",
            student_hidden=32,
            data=str(ws / "data"),
            out=str(tmp_path),
            max_steps=15,
            learning_rate=3e-3,
            max_len=160,
        )
    )
    assert r["distill_loss_last"] < r["distill_loss_first"]
    assert r["student_parameters"] < r["teacher_parameters"]
    assert (tmp_path / "model" / "config.json").is_file()


@pytest.mark.parametrize("algorithm", ["grpo", "rloo"])
def test_rl_runs_a_few_steps_on_the_service_reward(ws, sft, tmp_path, algorithm):
    from finetune.rl import RLConfig, run_rl

    r = run_rl(
        RLConfig(
            model=str(ws / "sft" / "merged"),
            data=str(ws / "data"),
            out=str(tmp_path),
            algorithm=algorithm,
            max_steps=2,
            batch_size=4,
            num_generations=4,
            max_completion_length=16,
            max_prompts=8,
            learning_rate=1e-4,
        )
    )
    assert r["rl_algorithm"] == algorithm and r["steps"] == 2 and len(r["rewards"]) == 2
    assert all(0.0 <= x <= 1.0 for x in r["rewards"])
    assert set(r["components_last"]) == {"first_contact_resolution", "response_time", "emotion_fit"}


def test_export_reloads_and_generates(ws, sft, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from finetune.export import ExportConfig, run_export

    r = run_export(
        ExportConfig(
            model=str(ws / "sft" / "adapter"), out=str(tmp_path), data_report=str(ws / "data" / "report.json")
        )
    )
    assert (tmp_path / "adapter" / "adapter_config.json").is_file()
    tok = AutoTokenizer.from_pretrained(r["export_dir"])
    model = AutoModelForCausalLM.from_pretrained(r["export_dir"])
    enc = tok.apply_chat_template(
        [{"role": "user", "content": "快递到哪了"}],
        add_generation_prompt=True,
        return_tensors="pt",
        return_dict=True,
    )
    out = model.generate(**enc, max_new_tokens=8, do_sample=False)
    assert out.shape[1] > enc["input_ids"].shape[1]
    card = (tmp_path / "README.md").read_text()
    assert "--quantization fp8" in card and "pii_dropped_share" in card and "--enable-lora" in card


def test_missing_model_is_a_clear_error(ws, tmp_path):
    from finetune.modeling import ModelLoadError
    from finetune.sft import SFTConfig, run_sft

    with pytest.raises(ModelLoadError, match="not found"):
        run_sft(SFTConfig(model=str(tmp_path / "nope"), data=str(ws / "data"), out=str(tmp_path / "o")))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "finetune",
            "sft",
            "--model",
            str(tmp_path / "nope"),
            "--data",
            str(ws / "data"),
            "--out",
            str(tmp_path / "o"),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_smoke_command_writes_metrics(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "finetune",
            "smoke",
            "--out",
            str(tmp_path),
            "--dialogues",
            "160",
            "--warmup-steps",
            "20",
            "--sft-steps",
            "10",
            "--distill-steps",
            "6",
            "--rl-steps",
            "2",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = json.loads((tmp_path / "metrics.json").read_text())
    for key in (
        "dialogues_in",
        "pii_dropped_share",
        "train_examples",
        "sft_loss_first",
        "sft_loss_last",
        "kg_loss_last",
        "early_stopped",
        "stopped_at_eval",
        "distill_loss_first",
        "distill_loss_last",
        "rl_algorithm",
        "rl_reward_first",
        "rl_reward_last",
        "export_dir",
    ):
        assert key in m
    assert m["dialogues_in"] == 160 and m["rl_algorithm"] == "grpo" and isinstance(m["early_stopped"], bool)
    assert (Path(m["export_dir"]) / "config.json").is_file()
