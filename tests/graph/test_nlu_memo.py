"""The NLU node remembers the analysis of short messages; long ones are always analysed."""

from __future__ import annotations

from typing import Any

from graph.nodes import nlu as nlu_node


class CountingNlu:
    version = "test-1"

    def __init__(self) -> None:
        self.calls = 0

    def analyze(self, text: str) -> dict[str, Any]:
        self.calls += 1
        return {"intent": "greeting", "confidence": 0.9, "language": "zh", "emotion": {"label": "neutral", "intensity": 0.0},
                "entities": [{"type": "order_id", "value": "123456789012", "text": text[:2], "start": 0, "end": 2}]}


def test_short_message_is_analysed_once_and_copies_are_independent() -> None:
    model = CountingNlu()
    first = nlu_node.analyze_remembered(model, "好的好的")
    first["entities"][0]["value"] = "changed by a caller"
    second = nlu_node.analyze_remembered(model, "好的好的")
    assert model.calls == 1
    assert second["entities"][0]["value"] == "123456789012"


def test_long_messages_and_other_models_are_not_served_from_memory() -> None:
    model, other = CountingNlu(), CountingNlu()
    long_text = "我想问一下" * 20
    nlu_node.analyze_remembered(model, long_text)
    nlu_node.analyze_remembered(model, long_text)
    assert model.calls == 2
    nlu_node.analyze_remembered(model, "谢谢啦")
    nlu_node.analyze_remembered(other, "谢谢啦")
    assert (model.calls, other.calls) == (3, 1)


def test_memory_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(nlu_node, "MEMO_SIZE", 3)
    model = CountingNlu()
    for text in ["一", "二", "三", "四"]:
        nlu_node.analyze_remembered(model, f"memo-{text}")
    nlu_node.analyze_remembered(model, "memo-一")
    assert model.calls == 5
