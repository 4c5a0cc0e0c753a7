"""Chat formatting (agent-only loss, KG decision points), LoRA targets per architecture, the CLI."""

from __future__ import annotations

import json

import pytest

from finetune.chat_format import encode_dialogue, prompt_and_reference
from finetune.cli import build_parser, main
from finetune.dialogues import Dialogue, Turn
from finetune.kg import build_kg

AGENT = "签收后7天内可以七天无理由退货。"


@pytest.fixture(scope="module")
def tok():
    from finetune.tiny import build_tokenizer

    return build_tokenizer(["我要退货签收后天内可以七无理由。好的谢谢不客气"])


def _dialogue(**meta) -> Dialogue:
    return Dialogue(
        id="x",
        lang="zh",
        meta=dict(meta),
        turns=[
            Turn("customer", "我要退货", intent="return_request", emotion="angry", intensity=0.8),
            Turn("agent", AGENT, by="bot"),
            Turn("customer", "好的谢谢", intent="greeting"),
            Turn("agent", "不客气", by="bot"),
        ],
    )


def test_loss_only_on_agent_turns(tok):
    ex = encode_dialogue(tok, _dialogue(), None, 512)
    trained = [i for i, label in zip(ex["input_ids"], ex["labels"], strict=False) if label != -100]
    assert tok.decode(trained) == AGENT + "<|end|>" + "不客气" + "<|end|>"


def test_no_loss_turns_stay_in_context_without_loss(tok):
    ex = encode_dialogue(tok, _dialogue(no_loss_turns=[1]), None, 512)
    trained = [i for i, label in zip(ex["input_ids"], ex["labels"], strict=False) if label != -100]
    assert tok.decode(trained) == "不客气<|end|>"
    assert AGENT in tok.decode(ex["input_ids"])


def test_kg_points_sit_on_fact_tokens(tok):
    ex = encode_dialogue(tok, _dialogue(), build_kg(policies_dir=None), 512)
    assert ex["kg"], "the 7-day rule should be a decision point"
    pos, gold, rivals = ex["kg"][0]
    assert tok.convert_ids_to_tokens(ex["input_ids"][pos]) == "7" and gold == ex["input_ids"][pos]
    assert set(tok.convert_ids_to_tokens(rivals)) == {"1", "3"}  # first tokens of 15, 30, 180 (days)


def test_rl_prompt_carries_reward_columns():
    row = prompt_and_reference(_dialogue())
    assert row is not None and row["prompt"][-1] == {"role": "user", "content": "我要退货"}
    assert (row["intent"], row["emotion"], row["intensity"], row["reference"]) == (
        "return_request",
        "angry",
        0.8,
        AGENT,
    )


@pytest.mark.parametrize(
    "config_cls,kwargs,expected",
    [
        ("LlamaConfig", {"num_attention_heads": 2, "num_key_value_heads": 2}, ["q_proj", "v_proj"]),
        ("GPT2Config", {"n_embd": 16, "n_layer": 1, "n_head": 2}, ["c_attn"]),
        ("GPTNeoXConfig", {"num_attention_heads": 2}, ["query_key_value"]),
        ("BloomConfig", {"n_head": 2, "n_layer": 1}, ["query_key_value"]),
    ],
)
def test_lora_targets_by_architecture(config_cls, kwargs, expected):
    import transformers

    from finetune.modeling import apply_lora, lora_targets

    base = {"vocab_size": 32, "hidden_size": 16, "num_hidden_layers": 1, "intermediate_size": 32}
    config = getattr(transformers, config_cls)(**{**base, **kwargs})
    model = transformers.AutoModelForCausalLM.from_config(config)
    assert lora_targets(model) == expected
    peft_model = apply_lora(model, 16, 32, 0.1, None)
    assert any("lora_A" in n for n, _ in peft_model.named_parameters())


def test_cli_lists_every_stage():
    help_text = build_parser().format_help()
    for stage in ("data", "sft", "distill", "rl", "export", "smoke", "nlu", "tiny", "kg", "synth"):
        assert stage in help_text


def test_cli_yaml_config_and_bad_input(tmp_path, capsys):
    cfg = tmp_path / "data.yaml"
    cfg.write_text(f"synthetic: 40\nout: {tmp_path / 'out'}\nseed: 2\n", encoding="utf-8")
    assert main(["data", "--config", str(cfg), "--augment-share", "0"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dialogues_in"] == 40 and report["config"]["augment_share"] == 0.0
    assert report["config"]["seed"] == 2
    (tmp_path / "bad.yaml").write_text("synthetic: [1\n", encoding="utf-8")
    (tmp_path / "unknown.yaml").write_text("epochz: 3\n", encoding="utf-8")
    for argv, message in [
        (["data", "--config", str(tmp_path / "bad.yaml")], "not valid YAML"),
        (["data", "--config", str(tmp_path / "unknown.yaml")], "unknown option"),
        (["data", "--config", str(tmp_path / "missing.yaml")], "not found"),
        (["data", "--out", str(tmp_path / "o")], "no dialogues"),
        (["rl", "--model", "x", "--batch-size", "3"], "multiple of num_generations"),
    ]:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1


def test_cli_synth_and_kg(tmp_path, capsys):
    assert main(["synth", "--n", "5", "--out", str(tmp_path / "s.jsonl")]) == 0
    assert json.loads(capsys.readouterr().out)["written"] == 5
    assert main(["kg"]) == 0
    kg = json.loads(capsys.readouterr().out)
    assert ["七天无理由退货", "window_after_delivery", "7天"] in kg["triples"]
    assert main(["synth", "--n", "0"]) == 2


def test_base_model_without_chat_template_needs_one(tmp_path):
    from finetune.modeling import ModelLoadError, load_causal_lm
    from finetune.tiny import CHAT_TEMPLATE, TinyConfig, build_model, build_tokenizer

    tok = build_tokenizer(["你好"])
    build_model(tok, TinyConfig(hidden=16, layers=1, heads=2, intermediate=32)).save_pretrained(str(tmp_path))
    tok.chat_template = None
    tok.save_pretrained(str(tmp_path))
    for name in ("chat_template.jinja",):
        (tmp_path / name).unlink(missing_ok=True)
    with pytest.raises(ModelLoadError, match="--chat-template"):
        load_causal_lm(str(tmp_path))
    template = tmp_path / "custom.jinja"
    template.write_text(CHAT_TEMPLATE, encoding="utf-8")
    _model, loaded = load_causal_lm(str(tmp_path), chat_template=str(template))
    assert (
        loaded.apply_chat_template([{"role": "user", "content": "你好"}], tokenize=False)
        == "<|user|>你好<|end|>"
    )
