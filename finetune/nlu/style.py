"""The hand-written, differently styled test messages (finetune/nlu/data/style_test.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

STYLE_PATH = Path(__file__).parent / "data" / "style_test.yaml"


def load_style_tests(path: Path = STYLE_PATH) -> list[dict[str, Any]]:
    """Records {text, intent, emotion, entities [{type, value, start, end}]}, offsets found in the text."""
    out = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        text = item["text"]
        entities, pos = [], 0
        for kind, surface, value in item.get("entities", []):
            start = text.find(surface, pos if kind != "product" else 0)
            if start < 0:
                raise ValueError(f"{path.name}: {surface!r} not in {text!r}")
            entities.append({"type": kind, "value": str(value), "start": start, "end": start + len(surface)})
        record = {
            "text": text,
            "intent": item["intent"],
            "entities": entities,
            "emotion": {"label": item["emotion"]},
        }
        if item.get("language"):
            record["language"] = item["language"]
        out.append(record)
    return out
