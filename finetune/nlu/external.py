"""Extra training phrasing from public corpora, relabelled to the taxonomy (finetune/nlu/data/external.yaml).

    python -m finetune.nlu.external --corpora /work/corpora --exclude /work/blind/real \\
        --out /work/corpora/derived/nlu_external.jsonl
    python -m finetune.nlu.train --external /work/corpora/derived/nlu_external.jsonl

The corpora are read from a local copy (`--corpora`, laid out as /work/corpora/SOURCES.md describes)
and the examples are written outside the repository: fetched text is never committed. Licences and
commits are in finetune/data/SOURCES.md. Every id listed in the JSONL files of each `--exclude`
folder (a held-back evaluation set) is left out, with the whole tweet thread or dialogue it belongs to;
only the `id` field of those files is read. The ids of `--exclude-ids` files (one a line) are left out
the same way, always those of data/heldback_ids.txt (the released public-corpus evaluation sets, kept
out of training for good). Emotion is the situation's (situations.py) or neutral.
The command prints counts only.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from finetune.nlu.situations import situation_emotion
from graph.nlu.labels import INTENTS
from knowledge.language import detect_language

MAP_PATH = Path(__file__).parent / "data" / "external.yaml"
HELD_BACK_IDS = Path(__file__).parent / "data" / "heldback_ids.txt"  # always left out (ids only)
THREAD = re.compile(r"-(t\d+|first)$")


def group_of(record_id: str) -> str:
    """The thread or dialogue an utterance id belongs to (ibmtw-dev-X-t3 -> ibmtw-dev-X, abcd-991-t1 -> abcd-991)."""
    return THREAD.sub("", record_id)


def excluded_ids(folders: list[Path]) -> set[str]:
    """Ids and thread/dialogue groups of every record in the JSONL files of these folders (ids only)."""
    out: set[str] = set()
    for folder in folders:
        for path in sorted(folder.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record_id = str(json.loads(line)["id"])
                    out |= {record_id, group_of(record_id)}
    return out


def listed_ids(paths: list[Path]) -> set[str]:
    """Ids (and their thread/dialogue groups) of id-list files: one id a line, '#' starts a comment.
    An evaluation set's owner can hand over such a list without anyone else opening the set."""
    out: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            record_id = line.split("#", 1)[0].strip()
            if record_id:
                out |= {record_id, group_of(record_id)}
    return out


def _read(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _nlupp_intent(record: dict[str, Any], rules: list[dict[str, Any]]) -> str | None:
    labels = set(record.get("intents") or [])
    for rule in rules:
        if rule.get("domain") and record.get("domain") != rule["domain"]:
            continue
        if "all" in rule and not (set(rule["all"]) <= labels and not labels & set(rule.get("without", []))):
            continue
        if "only" in rule and not (labels and labels <= set(rule["only"])):
            continue
        return str(rule["intent"])
    return None


def intent_of(source: str, record: dict[str, Any], spec: dict[str, Any], hand: dict[str, list[Any]]) -> str | None:
    """The taxonomy intent of one corpus record, or None when the mapping leaves it out."""
    if source == "nlupp":
        return _nlupp_intent(record, spec["rules"])
    if source == "crosswoz":
        return spec["general_only"] if set(record.get("intents") or []) == {"General"} else spec["otherwise"]
    if source == "twitter_cdp":
        label = hand.get(str(record["id"]))
        return str(label[0]) if label else None
    label = str(record.get("intent"))
    if label in (spec.get("labels") or {}):
        return str(spec["labels"][label])
    if record.get("domain") in spec.get("other_domains", []) or label in spec.get("other_intents", []):
        return "other"
    return None


def examples(corpora: Path, exclude: set[str], seed: int = 13, table: Path = MAP_PATH) -> list[dict[str, Any]]:
    """Relabelled, de-duplicated examples of every source in external.yaml, capped per source and intent."""
    spec_all = yaml.safe_load(table.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for source, spec in spec_all.items():
        hand = _hand_labels(table.parent / spec["labels_file"]) if spec.get("labels_file") else {}
        pools: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in _read(corpora / spec["file"]):
            record_id = str(record["id"])
            if record_id in exclude or group_of(record_id) in exclude:
                continue
            intent = intent_of(source, record, spec, hand)
            key = " ".join(str(record.get("text", "")).lower().split())
            if intent not in INTENTS or not key or key in seen:
                continue
            seen.add(key)
            pools[intent].append(_example(record, intent, source, spec["licence"], hand.get(record_id)))
        for intent in sorted(pools):
            pool = pools[intent]
            rng.shuffle(pool)
            out.extend(pool[: int(spec["cap"])])
    return out


def _hand_labels(path: Path) -> dict[str, list[Any]]:
    """{id: [intent, emotion, intensity]} from a hand-label file; empty when there is none."""
    if not path.is_file():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(i): list(label) for i, label in raw.items()}


def _example(
    record: dict[str, Any], intent: str, source: str, licence: str, hand: list[Any] | None = None
) -> dict[str, Any]:
    """One training example; emotion from the hand label, else the situation's, else neutral."""
    text = " ".join(str(record["text"]).split())
    found = situation_emotion(text) if intent != "other" else None
    emotion, intensity = (found[0], found[1]) if found else ("neutral", 0.0)
    if hand:
        emotion, intensity = str(hand[1]), float(hand[2])
    return {
        "text": text,
        "intent": intent,
        "emotion": {"label": emotion, "intensity": intensity},
        "language": detect_language(text),
        "provenance": {"source": source, "id": str(record["id"]), "licence": licence},
    }


def main(argv: list[str] | None = None) -> int:
    """Write the examples as JSONL and print how many came from each source and intent."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpora", type=Path, required=True, help="folder of the extracted corpora")
    parser.add_argument("--exclude", type=Path, action="append", default=[], help="held-back set folder (ids)")
    parser.add_argument("--exclude-ids", type=Path, action="append", default=[HELD_BACK_IDS],
                        help="file of held-back ids, one a line (repeatable; heldback_ids.txt always)")
    parser.add_argument("--out", type=Path, required=True, help="JSONL to write (outside the repository)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--map", type=Path, default=MAP_PATH, help="the label mapping (external.yaml)")
    args = parser.parse_args(argv)
    exclude = excluded_ids(args.exclude) | listed_ids(args.exclude_ids)
    records = examples(args.corpora, exclude, args.seed, args.map)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = Counter((r["provenance"]["source"], r["intent"]) for r in records)
    report = {f"{s}/{i}": n for (s, i), n in sorted(counts.items())}
    sys.stdout.write(json.dumps({"examples": len(records), "by_source_intent": report}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
