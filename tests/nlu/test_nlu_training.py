"""A smoke training run on a tiny corpus (n-grams only, seconds) loads and serves through load_nlu."""

from __future__ import annotations

from pathlib import Path

from app.settings import Settings
from finetune.nlu.train import main as train_main
from graph.nlu import load_nlu
from graph.nlu.model import ARTIFACT_NAME, read_artifact


def test_tiny_training_run_serves(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    out = settings.models_dir / "nlu"
    code = train_main(
        [
            "--out",
            str(out),
            "--no-embeddings",
            "--train-per-intent",
            "25",
            "--dev-per-intent",
            "8",
            "--heldout-per-intent",
            "8",
            "--no-write-heldout",
        ]
    )
    assert code == 0
    _, heads, meta = read_artifact(out / ARTIFACT_NAME)
    assert meta["version"].startswith("nlu-") and len(meta["sha256"]) == 64
    assert heads["intent"].labels[0] == "greeting"
    nlu = load_nlu(settings)
    assert nlu.version == meta["version"]
    result = nlu.analyze("帮我查下订单313021098954到哪了")
    assert result["entities"][0]["value"] == "313021098954"
    assert 0.0 <= result["confidence"] <= 1.0
