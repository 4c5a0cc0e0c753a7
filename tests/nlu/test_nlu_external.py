"""Public-corpus examples: labels mapped to the taxonomy, held-back ids (and their threads) left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from finetune.nlu.external import examples, excluded_ids, group_of, main
from graph.nlu.labels import INTENTS


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def corpora(tmp_path: Path) -> tuple[Path, Path, Path]:
    root = tmp_path / "corpora"
    _write(root / "b77.jsonl", [
        {"id": "b-1", "text": "I was charged twice for one coffee", "intent": "transaction_charged_twice"},
        {"id": "b-2", "text": "what is the exchange rate", "intent": "exchange_rate"},  # no shop counterpart
        {"id": "b-3", "text": "i WAS charged twice for one coffee", "intent": "transaction_charged_twice"},  # dup
    ])
    _write(root / "tw.jsonl", [
        {"id": "tw-A-t0", "text": "my laptop won't boot"},
        {"id": "tw-B-t0", "text": "the screen flickers"},
        {"id": "tw-B-t1", "text": "still flickering, fix it"},  # same thread as a held-back tweet
    ])
    table = tmp_path / "map" / "external.yaml"
    table.parent.mkdir()
    table.write_text(yaml.safe_dump({
        "banking77": {"file": "b77.jsonl", "licence": "CC BY 4.0", "cap": 10,
                      "labels": {"transaction_charged_twice": "payment_issue"}},
        "twitter_cdp": {"file": "tw.jsonl", "licence": "Apache-2.0", "cap": 10, "labels_file": "hand.yaml"},
    }), encoding="utf-8")
    (table.parent / "hand.yaml").write_text(
        "tw-A-t0: [warranty_repair, neutral, 0.2]\ntw-B-t1: [warranty_repair, angry, 0.6]\n", encoding="utf-8"
    )
    held = tmp_path / "held"
    _write(held / "test.jsonl", [{"id": "tw-B-t0", "text": "never read", "intent": "never read"}])
    return root, table, held


def test_group_of_names_the_thread_or_dialogue() -> None:
    assert group_of("ibmtw-dev-X-t3") == "ibmtw-dev-X"
    assert group_of("abcd-991-first") == "abcd-991"


def test_labels_map_and_held_back_threads_are_left_out(corpora) -> None:
    root, table, held = corpora
    rows = examples(root, excluded_ids([held]), table=table)
    by_id = {r["provenance"]["id"]: r for r in rows}
    assert set(by_id) == {"b-1", "tw-A-t0"}  # unmapped label, duplicate text and the held-back thread are gone
    assert by_id["b-1"]["intent"] == "payment_issue" and by_id["b-1"]["provenance"]["licence"] == "CC BY 4.0"
    assert by_id["tw-A-t0"]["emotion"] == {"label": "neutral", "intensity": 0.2}  # the hand label wins
    assert all(r["intent"] in INTENTS and r["language"] == "en" for r in rows)


def test_the_command_prints_counts_only(corpora, tmp_path, capsys) -> None:
    root, table, held = corpora
    out = tmp_path / "derived" / "x.jsonl"
    assert main(["--corpora", str(root), "--exclude", str(held), "--out", str(out), "--map", str(table)]) == 0
    printed = capsys.readouterr().out
    assert "laptop" not in printed and "never read" not in printed
    assert json.loads(printed)["examples"] == len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_id_lists_leave_out_ids_and_their_threads(tmp_path: Path) -> None:
    from finetune.nlu.external import HELD_BACK_IDS, listed_ids

    ids = tmp_path / "ids.txt"
    ids.write_text("# held back\ntw-B-t0  # a tweet\n\n", encoding="utf-8")
    assert listed_ids([ids]) == {"tw-B-t0", "tw-B"}
    shipped = listed_ids([HELD_BACK_IDS])
    assert shipped and all(not i.startswith("#") for i in shipped)
