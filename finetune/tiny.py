"""A tiny causal LM and tokenizer built from a config, for tests, the smoke run and the GPU smoke.

No download: the tokenizer is character-level (the `tokenizers` library, built from a corpus) with
a chat template, and the model is a small `LlamaConfig`. Both are saved together, so
`AutoTokenizer.from_pretrained(dir)` and `AutoModelForCausalLM.from_pretrained(dir)` reload them.

    python -m finetune tiny --out var/ft/tiny --corpus var/ft/data/train.jsonl --hidden 64 --layers 2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPECIAL_TOKENS = ["<pad>", "<unk>", "<s>", "</s>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}{{ '<|' + m['role'] + '|>' + m['content'] + '<|end|>' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)
# Characters always in the vocabulary, so digits, ASCII and common punctuation never map to <unk>.
BASE_CHARS = [chr(c) for c in range(32, 127)] + list("，。！？；：、“”‘’（）【】《》…—～\n")


@dataclass
class TinyConfig:
    """Shape of the tiny model and the corpus its tokenizer is built from."""

    out: str = field(default="var/finetune/tiny", metadata={"help": "folder for model + tokenizer"})
    corpus: list[str] = field(
        default_factory=list, metadata={"help": "dialogue JSONL files whose characters form the vocabulary"}
    )
    synthetic: int = field(default=300, metadata={"help": "generated dialogues added to the corpus"})
    hidden: int = field(default=64, metadata={"help": "hidden size"})
    layers: int = field(default=2, metadata={"help": "number of transformer layers"})
    heads: int = field(default=4, metadata={"help": "attention heads"})
    intermediate: int = field(default=128, metadata={"help": "MLP size"})
    max_positions: int = field(default=1024, metadata={"help": "maximum sequence length"})
    seed: int = field(default=0, metadata={"help": "weight initialisation seed"})


def corpus_texts(cfg: TinyConfig) -> list[str]:
    """Every turn text of the corpus files plus generated dialogues."""
    from finetune.dialogues import load_dialogues
    from finetune.synth import SynthConfig, generate_dialogues

    dialogues = [d for path in cfg.corpus for d in load_dialogues(path).dialogues]
    if cfg.synthetic:
        dialogues += generate_dialogues(SynthConfig(n=cfg.synthetic, seed=cfg.seed + 1))
    return [t.text for d in dialogues for t in d.turns]


def build_tokenizer(texts: list[str], out_dir: str | Path | None = None) -> Any:
    """A character-level fast tokenizer with special tokens and the chat template."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    chars = sorted(set(BASE_CHARS) | {c for t in texts for c in t})
    vocab = {tok: i for i, tok in enumerate(SPECIAL_TOKENS + [c for c in chars if c not in SPECIAL_TOKENS])}
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    backend.decoder = decoders.Fuse()
    tok = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token="<s>",
        eos_token="<|end|>",
        pad_token="<pad>",
        unk_token="<unk>",
        additional_special_tokens=SPECIAL_TOKENS[4:],
    )
    tok.chat_template = CHAT_TEMPLATE
    if out_dir is not None:
        tok.save_pretrained(str(out_dir))
    return tok


def build_model(tokenizer: Any, cfg: TinyConfig) -> Any:
    """A randomly initialised small Llama sized by `cfg` for `tokenizer`'s vocabulary."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(cfg.seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=cfg.hidden,
        intermediate_size=cfg.intermediate,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        num_key_value_heads=cfg.heads,
        max_position_embeddings=cfg.max_positions,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=True,
    )
    return LlamaForCausalLM(config)


def run_tiny(cfg: TinyConfig) -> dict[str, Any]:
    """Build and save the tiny model and tokenizer into `cfg.out`."""
    if cfg.hidden % cfg.heads:
        raise ValueError(f"hidden ({cfg.hidden}) must be a multiple of heads ({cfg.heads})")
    texts = corpus_texts(cfg)
    tok = build_tokenizer(texts, cfg.out)
    model = build_model(tok, cfg)
    model.generation_config.pad_token_id = tok.pad_token_id
    model.save_pretrained(cfg.out)
    params = sum(p.numel() for p in model.parameters())
    return {"out": cfg.out, "vocab": len(tok), "parameters": params}
