"""The front tier on the sets we may tune on: intent accuracy, macro-F1, angry and anxious recall,
ECE, ask rate; and the tuning of the ask thresholds.

    python -m evals.nlu_dev                                  # the repo's dev sets
    python -m evals.nlu_dev --blind /work/blind              # plus <dir>/{nlu_style,nlu_en,real}/dev.jsonl
    python -m evals.nlu_dev --blind /work/blind --tune-ask   # sweep the ask thresholds on the dev sets
    python -m evals.nlu_dev --blind /work/blind --tune-ask --write graph/nlu/artifacts  # store the choice
    python -m evals.nlu_dev --blind /work/blind --calibrate-emotion --write graph/nlu/artifacts
    python -m evals.nlu_dev --blind /work/blind --calibrate-emotion --stack-emotion --write graph/nlu/artifacts
    python -m evals.nlu_dev --blind /work/blind --calibrate-intent --write graph/nlu/artifacts
    python -m evals.nlu_dev --blind /work/blind --extra /work/blind/nlu_en/test.jsonl ...  # a retired held-back half

Only files named dev.jsonl are read from the blind folder: its test halves are held back. A test half
that the lead has read and released as dev data is added by naming its file with --extra (reported as
`<folder>/<stem>`); the fits then run on the union of all the sets.
The ask thresholds are chosen to catch as many wrong readings as possible while asking on at most
`--max-ask-right` of the messages read right over all sets and `--max-ask-right-each` of those of any
one set (clear messages must not be asked about, also in a set of hard real messages). The emotion
calibration (evals/nlu_calibrate.py) fits label offsets and the intensity scale on the same sets.
With --write, what was fitted is stored in the artifact's meta (its arrays and sha256 unchanged);
re-run without --tune-ask/--calibrate-emotion to read the figures it gives. --calibrate-intent fits one
log-prior offset per intent (the mix of intents in real traffic is not the training corpus's): the
confidences move with it, so tune the ask thresholds after it, in a second run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from graph.nlu.evaluate import evaluate_nlu
from graph.nlu.reading import AskPolicy
from graph.nlu.runtime import build_nlu

ROOT = Path(__file__).resolve().parents[1]
REPO_SETS = {
    "dev_ext": ROOT / "evals" / "data" / "nlu_dev_ext.jsonl",
    "dev_ext2": ROOT / "evals" / "data" / "nlu_dev_ext2.jsonl",
}
BLIND_SETS = ("nlu_style", "nlu_en", "real", "twcs")
SHOWN = (
    "n",
    "intent_accuracy",
    "intent_macro_f1",
    "emotion_accuracy",
    "angry_recall",
    "anxious_recall",
    "intensity_mae",
    "anger_handoff_precision",
    "anger_handoff_recall",
    "strong_tone_precision",
    "strong_tone_recall",
    "intent_ece",
    "ask_rate",
    "ask_rate_when_wrong",
    "accuracy_when_not_asked",
)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dev_sets(blind: Path | None, extra: list[Path] | None = None) -> dict[str, Path]:
    """The sets to report on: the repo's, the dev halves found under the blind folder, and the files
    named explicitly (released held-back halves)."""
    sets = dict(REPO_SETS)
    for name in BLIND_SETS if blind else ():
        path = blind / name / "dev.jsonl"  # never the test halves
        if path.is_file():
            sets[name] = path
    for path in extra or []:
        if not path.is_file():
            raise FileNotFoundError(f"--extra {path}: no such file")
        sets[f"{path.parent.name}/{path.stem}"] = path
    return sets


Readings = list[tuple[tuple[tuple[str, float], ...], bool]]


def _asks_on_right(policy: AskPolicy, readings: Readings) -> float:
    """The share of the right readings of one set that this policy asks about."""
    right = [c for c, ok in readings if ok]
    return sum(policy.ask(c) for c in right) / max(1, len(right))


def sweep(readings: Readings, max_ask_right: float, by_set: dict[str, Readings] | None = None,
          max_ask_right_each: float = 1.0) -> dict[str, Any]:
    """The (min_confidence, margin) that asks on the most wrong readings while asking on at most
    max_ask_right of the right ones overall and at most max_ask_right_each of the right ones of every
    set in by_set (a set of hard, real messages must not be asked about where it was read right);
    readings are (candidates, read right?)."""
    right = sum(ok for _, ok in readings)
    wrong = len(readings) - right
    best: dict[str, Any] = {}
    for min_conf in [x / 100 for x in range(20, 71, 5)]:
        for margin in [x / 100 for x in range(0, 41, 2)]:
            policy = AskPolicy(min_conf, margin)
            asked = [policy.ask(c) for c, _ in readings]
            on_right = sum(a and ok for a, (_, ok) in zip(asked, readings, strict=True))
            on_wrong = sum(asked) - on_right
            if on_right > max_ask_right * right:
                continue
            if any(_asks_on_right(policy, rs) > max_ask_right_each for rs in (by_set or {}).values()):
                continue
            score = (on_wrong, -on_right)
            if not best or score > best["score"]:
                best = {
                    "score": score,
                    "min_confidence": min_conf,
                    "margin": margin,
                    "ask_rate": round(sum(asked) / len(readings), 4),
                    "ask_rate_when_right": round(on_right / max(1, right), 4),
                    "ask_rate_when_wrong": round(on_wrong / max(1, wrong), 4),
                }
    best.pop("score", None)
    return best


def main(argv: list[str] | None = None) -> int:
    """Print the figures of each dev set (and the ask sweep) as one JSON report."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--blind", type=Path, default=None, help="folder holding nlu_style/, nlu_en/, real/")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="another dev file (repeatable)")
    parser.add_argument("--tune-ask", action="store_true", help="sweep the ask thresholds on these sets")
    parser.add_argument("--max-ask-right", type=float, default=0.03, help="most asks on messages read right")
    parser.add_argument("--max-ask-right-each", type=float, default=0.08,
                        help="most asks on the messages read right of any one set")
    parser.add_argument("--calibrate-emotion", action="store_true", help="fit emotion offsets and intensity scale")
    parser.add_argument("--stack-emotion", action="store_true",
                        help="with --calibrate-emotion: fit the emotion stack (evals/emotion_stack.py)")
    parser.add_argument("--calibrate-intent", action="store_true", help="fit intent log-prior offsets")
    parser.add_argument("--write", type=Path, default=None, help="store what was fitted in this artifact folder")
    parser.add_argument("--artifact", type=Path, default=None, help="models dir to evaluate (default: shipped)")
    args = parser.parse_args(argv)
    nlu = build_nlu(args.artifact)
    report: dict[str, Any] = {"version": nlu.version, "ask_policy": dataclasses.asdict(nlu.ask_policy)}
    by_set: dict[str, Readings] = {}
    loaded = {name: load_jsonl(path) for name, path in dev_sets(args.blind, args.extra).items()}
    for name, examples in loaded.items():
        figures = evaluate_nlu(nlu, examples)
        report[name] = {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items() if k in SHOWN}
        if args.tune_ask:
            outs = nlu.analyze_many([e["text"] for e in examples])
            by_set[name] = [
                (tuple((c["intent"], c["confidence"]) for c in o["candidates"]), o["intent"] == e["intent"])
                for o, e in zip(outs, examples, strict=True)
            ]
    updates: dict[str, Any] = {}
    if args.tune_ask:
        pooled = [r for rs in by_set.values() for r in rs]
        report["ask_tuned"] = sweep(pooled, args.max_ask_right, by_set, args.max_ask_right_each)
        updates["ask"] = {k: report["ask_tuned"][k] for k in ("min_confidence", "margin")}
    if args.calibrate_emotion:
        from evals.nlu_calibrate import calibrate

        fitted = calibrate(nlu.classifier, loaded, stack=args.stack_emotion)
        report["emotion_calibration"] = {k: v for k, v in fitted.items() if k != "stack"}
        updates["emotion_calibration"] = {k: fitted[k] for k in ("offsets", "xs", "ys", "stack") if k in fitted}
    if args.calibrate_intent:
        from evals.nlu_calibrate import calibrate_intent

        prior = calibrate_intent(nlu.classifier, loaded)
        report["intent_prior"] = prior
        updates["intent_prior"] = {"offsets": prior["offsets"]}
    if args.write and updates:
        from finetune.nlu.fit import update_meta

        update_meta(args.write, updates)
    sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
