"""`kefu llm vllm-command` prints the exact vLLM line for merged models and LoRA adapters."""

from __future__ import annotations

import argparse
import json
import shlex

import pytest

from app.cli import CliError
from app.cli import llm as llm_cli
from graph.generation.vllm import PROFILES, VllmCommandError, parse_adapter, vllm_command


def _run(argv, capsys):
    parser = argparse.ArgumentParser(prog="kefu")
    llm_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["llm", "vllm-command", *argv])
    assert args.func(args) == 0
    return capsys.readouterr().out.strip()


def test_merged_model_line(capsys):
    line = _run(["--model", "/models/kefu-merged", "--profile", "promotion", "--port", "9000"], capsys)
    argv = shlex.split(line)
    assert argv[:3] == ["vllm", "serve", "/models/kefu-merged"]
    assert argv[argv.index("--max-num-seqs") + 1] == "32"
    assert argv[argv.index("--quantization") + 1] == "fp8"
    assert "--enable-prefix-caching" in argv and argv[argv.index("--port") + 1] == "9000"
    assert "--enable-lora" not in argv


def test_lora_adapter_line(capsys):
    out = _run(["--model", "Qwen/Qwen2.5-7B-Instruct", "--adapter", "kefu=/models/lora", "--profile", "quiet",
                "--json"], capsys)
    argv = json.loads(out)
    assert "--enable-lora" in argv and argv[argv.index("--lora-modules") + 1] == "kefu=/models/lora"
    assert argv[argv.index("--max-num-seqs") + 1] == "8"


@pytest.mark.parametrize("profile,seqs", [(name, cfg["max_num_seqs"]) for name, cfg in PROFILES.items()])
def test_profiles_follow_the_dynamic_batch_sizes(profile, seqs):
    argv = vllm_command("m", profile=profile)
    assert int(argv[argv.index("--max-num-seqs") + 1]) == seqs
    assert seqs in (8, 16, 32)


@pytest.mark.parametrize("spec", ["bad", "=path", "name=", "na me=/x", "../x=/y"])
def test_bad_adapter_specs_are_rejected(spec):
    with pytest.raises(VllmCommandError):
        parse_adapter(spec)


def test_bad_input_is_a_cli_error(capsys):
    with pytest.raises(CliError):
        _run(["--model", "m", "--adapter", "oops"], capsys)
    with pytest.raises(CliError):
        _run(["--model", "m", "--port", "70000"], capsys)


def _ask(argv, capsys):
    parser = argparse.ArgumentParser(prog="kefu")
    llm_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["llm", "ask", *argv])
    assert args.func(args) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_ask_answers_from_the_demo_policies(tmp_path, monkeypatch, capsys):
    from app.settings import get_settings

    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        out = _ask(["运费险最多赔多少", "--json"], capsys)
        assert out["tier"] == "composer" and out["grounded"] and "12元" in out["reply"]
        assert any(c["policy_id"] == "shipping-insurance" for c in out["citations"])
        unknown = _ask(["你们老板叫什么名字", "--json"], capsys)
        assert unknown["grounded"] is False and "人工" in unknown["reply"]
        with pytest.raises(CliError):
            _ask(["   "], capsys)
    finally:
        get_settings.cache_clear()
