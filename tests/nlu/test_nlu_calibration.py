"""What is fitted on the dev sets after training: emotion offsets, the intensity map, the ask thresholds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evals.nlu_calibrate import fit_intensity, fit_intent_prior, fit_offsets
from evals.nlu_dev import dev_sets, sweep
from finetune.nlu.fit import update_meta
from graph.nlu.features import SparseVectorizer, cue_names
from graph.nlu.model import (
    ARTIFACT_NAME,
    EmotionCalibration,
    LinearHead,
    TrainedClassifier,
    read_artifact,
    save_artifact,
)
from graph.nlu.reading import AskPolicy


def test_offsets_move_the_choice_and_nothing_is_a_no_op() -> None:
    logits = np.log(np.array([0.5, 0.1, 0.3, 0.1]))
    assert EmotionCalibration().choose(logits) == 0
    assert EmotionCalibration(offsets=(0.0, 0.0, 0.6, 0.0)).choose(logits) == 2
    assert EmotionCalibration(offsets=(0.0, 0.0)).choose(logits) == 0  # a mismatched length is ignored


@pytest.mark.parametrize(("raw", "expected"), [(-1.0, 0.3), (0.2, 0.3), (0.5, 0.6), (0.8, 0.9), (3.0, 0.9)])
def test_the_intensity_map_is_piecewise_linear_and_bounded(raw: float, expected: float) -> None:
    calibration = EmotionCalibration(xs=(0.2, 0.8), ys=(0.3, 0.9))
    assert calibration.intensity(raw) == pytest.approx(expected)
    assert EmotionCalibration().intensity(1.7) == 1.0 and EmotionCalibration().intensity(0.0) == 0.1


def test_fitted_offsets_raise_the_recall_of_an_under_read_label() -> None:
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 4, size=400)
    logits = np.log(np.full((400, 4), 0.1))
    logits[np.arange(400), gold] = np.log(0.3)
    logits[gold == 2, 0] = np.log(0.4)  # anxious is always read as neutral
    offsets, before, after = fit_offsets([(logits, gold)])
    assert after > before and offsets[2] > offsets[0]
    assert ((logits + np.array(offsets)).argmax(axis=1)[gold == 2] == 2).all()


def test_the_intensity_fit_is_monotone() -> None:
    raw = np.linspace(0, 1, 50)
    xs, ys = fit_intensity(raw, 0.2 + 0.7 * raw)
    assert xs == sorted(xs) and ys == sorted(ys) and ys[0] >= 0.1 and ys[-1] <= 1.0


def test_the_ask_sweep_never_asks_on_more_right_readings_than_allowed() -> None:
    clear = [((("a", 0.95), ("b", 0.03)), True)] * 90
    close = [((("a", 0.5), ("b", 0.45)), False)] * 10
    best = sweep(clear + close, max_ask_right=0.03)
    assert best["ask_rate_when_right"] <= 0.03 and best["ask_rate_when_wrong"] == 1.0


def test_update_meta_keeps_the_arrays_and_their_hash(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    head = LinearHead(rng.normal(size=(2, 3)).astype(np.float32), rng.normal(size=(3, 4)).astype(np.float32),
                      np.zeros(3, np.float32), ("a", "b", "c"))
    vectorizer = SparseVectorizer({"x": 0, "y": 1}, np.ones(2, np.float32))
    meta = save_artifact(tmp_path, vectorizer, {"intent": head, "emotion": head, "intensity": head},
                         {"created": "2026-01-01", "cue_names": cue_names()})
    update_meta(tmp_path, {"ask": {"min_confidence": 0.5, "margin": 0.2}})
    _, heads, after = read_artifact(tmp_path / ARTIFACT_NAME)
    assert after["ask"] == {"min_confidence": 0.5, "margin": 0.2}
    assert after["sha256"] == meta["sha256"] and after["version"] == meta["version"]
    assert np.allclose(heads["intent"].w_dense, head.w_dense)


def test_dev_sets_never_include_a_test_half(tmp_path: Path) -> None:
    for name in ("nlu_style", "real"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "dev.jsonl").write_text("", encoding="utf-8")
        (tmp_path / name / "test.jsonl").write_text("", encoding="utf-8")
    paths = dev_sets(tmp_path).values()
    assert all(p.name != "test.jsonl" for p in paths) and len([p for p in paths if tmp_path in p.parents]) == 2


def test_a_released_half_is_read_only_when_named(tmp_path: Path) -> None:
    (tmp_path / "nlu_en").mkdir()
    for half in ("dev", "test"):
        (tmp_path / "nlu_en" / f"{half}.jsonl").write_text("", encoding="utf-8")
    named = dev_sets(tmp_path, [tmp_path / "nlu_en" / "test.jsonl"])
    assert named["nlu_en/test"] == tmp_path / "nlu_en" / "test.jsonl" and named["nlu_en"].name == "dev.jsonl"
    with pytest.raises(FileNotFoundError):
        dev_sets(tmp_path, [tmp_path / "nlu_en" / "missing.jsonl"])


def test_a_fitted_intent_prior_recovers_an_under_read_intent_across_sets() -> None:
    rng = np.random.default_rng(2)
    sets = []
    for _ in range(3):
        gold = rng.integers(0, 5, size=300)
        logp = np.log(np.full((300, 5), 0.1))
        logp[np.arange(300), gold] = np.log(0.5)
        logp[gold == 3, 4] = np.log(0.6)  # intent 3 is always read as intent 4, narrowly
        sets.append((logp, gold))
    offsets, before, after = fit_intent_prior(sets)
    assert after > before and offsets[3] > offsets[4]
    assert all(((lp + np.array(offsets)).argmax(axis=1) == gold).mean() == 1.0 for lp, gold in sets)
    clean_sets = [(lp, gold) for lp, gold in ((np.eye(5)[g] * 3.0, g) for g in (rng.integers(0, 5, 50),))]
    assert fit_intent_prior(clean_sets)[0] == [0.0] * 5  # nothing to gain: no offset is paid for


def test_the_classifier_reads_its_intent_prior_and_ignores_a_mismatched_one() -> None:
    dim = len(cue_names())
    head = LinearHead(np.zeros((2, 3), np.float32), np.zeros((3, dim), np.float32),
                      np.array([1.0, 0.8, 0.0], np.float32), ("a", "b", "c"))
    vectorizer = SparseVectorizer({"x": 0, "y": 1}, np.ones(2, np.float32))
    heads = {"intent": head, "emotion": head, "intensity": head}

    def top(meta: dict[str, object]) -> tuple[str, float]:
        reading = TrainedClassifier(vectorizer, heads, meta, None).classify("hello", [])
        assert abs(sum(p for _, p in reading.candidates) - 1.0) < 0.2
        return reading.intent, reading.confidence

    assert top({})[0] == "a"
    assert top({"intent_prior": {"offsets": [0.0, 0.5, 0.0]}})[0] == "b"
    assert top({"intent_prior": {"offsets": [0.0, 0.5]}}) == top({})
    assert TrainedClassifier(vectorizer, heads, {}, None).raw_intent("hello", []).argmax() == 0


def test_the_prior_never_pushes_messages_away_from_other() -> None:
    """Lowering `other` would buy accuracy here (intent 0 is read as `other`, label 4, narrowly), but `other`
    is the safe reading of gibberish and foreign scripts: its offset stays >= 0 and another label rises."""
    rng = np.random.default_rng(3)
    gold = rng.integers(0, 4, size=300)
    logp = np.log(np.full((300, 5), 0.1))
    logp[np.arange(300), gold] = np.log(0.5)
    logp[gold == 0, 4] = np.log(0.6)
    free, _, _ = fit_intent_prior([(logp, gold)])
    kept, before, after = fit_intent_prior([(logp, gold)], never_below=4)
    assert free[4] < 0 or free[0] > 0
    assert kept[4] >= 0 and kept[0] > 0 and after > before


def test_the_ask_sweep_holds_the_limit_on_every_set_not_only_overall() -> None:
    easy = [((("a", 0.95), ("b", 0.03)), True)] * 900
    hard_right = [((("a", 0.60), ("b", 0.50)), True)] * 30  # right, the runner-up 0.10 behind
    close_wrong = [((("a", 0.62), ("b", 0.56)), False)] * 10  # wrong, the runner-up 0.06 behind
    far_wrong = [((("a", 0.66), ("b", 0.52)), False)] * 10  # wrong, 0.14 behind
    hard = hard_right + close_wrong + far_wrong
    loose = AskPolicy(**{k: v for k, v in sweep(easy + hard, 0.05).items() if k in ("min_confidence", "margin")})
    assert all(loose.ask(c) for c, _ in hard_right)  # pooled, the easy set hides the asks on the hard set
    fitted = sweep(easy + hard, 0.05, {"easy": easy, "hard": hard}, max_ask_right_each=0.1)
    each = AskPolicy(fitted["min_confidence"], fitted["margin"])
    assert not any(each.ask(c) for c, _ in hard_right)
    assert all(each.ask(c) for c, _ in close_wrong)  # the close readings are still asked about


def test_the_emotion_stack_reads_the_dense_block_and_needs_it() -> None:
    logits = np.log(np.array([0.7, 0.1, 0.1, 0.1]))  # the head says neutral
    w = np.zeros((4, 4 + 2), dtype=np.float32)
    w[1, 4] = 5.0  # the first dense input (a situation flag, say) reads as label 1
    stacked = EmotionCalibration(stack_w=w, stack_b=np.zeros(4, dtype=np.float32))
    assert stacked.stack_width() == 6 and EmotionCalibration().stack_width() is None
    assert stacked.choose(logits, np.array([1.0, 0.0])) == 1
    assert stacked.choose(logits, np.array([0.0, 1.0])) == 0  # the head's reading stands without the cue
    assert stacked.choose(logits) == 0  # no dense block: the head alone
    meta = {"offsets": [0, 0, 0, 0], "stack": {"w": w.tolist(), "b": [0, 0, 0, 0]}}
    assert EmotionCalibration.from_meta(meta).choose(logits, np.array([1.0, 0.0])) == 1


def test_the_fitted_emotion_stack_learns_a_situation_the_head_misses_and_cross_fits() -> None:
    from evals.emotion_stack import cross_fit, fit_stack, stack_log_probs

    rng = np.random.default_rng(1)

    def part(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        gold = rng.integers(0, 4, n)
        lp = np.log(np.full((n, 4), 0.25))
        lp[np.arange(n), np.where(gold == 1, 0, gold)] = np.log(0.7)  # the head reads label 1 as 0
        dense = np.stack([(gold == 1) + rng.normal(0, 0.1, n), rng.normal(0, 1, n)], axis=1)
        return lp, dense, gold

    parts, names = [part(200), part(200), part(200)], ["a", "a/test", "b"]
    w, b = fit_stack(parts, names)
    lp, dense, gold = part(300)
    pred = stack_log_probs(w, b, lp, dense).argmax(axis=1)
    assert (pred[gold == 1] == 1).mean() > 0.9 and (lp.argmax(axis=1)[gold == 1] == 1).mean() == 0
    figures = cross_fit(parts, names, np.zeros(4))
    assert set(figures) == {"a", "a/test", "b", "pooled"} and figures["pooled"]["accuracy"] > 0.9
    with pytest.raises(ValueError, match="every emotion label"):
        fit_stack([(lp[gold != 3], dense[gold != 3], gold[gold != 3])], ["c"])


def test_the_heads_angry_reading_stands_unless_the_stack_rules_anger_out() -> None:
    logits = np.log(np.array([0.3, 0.05, 0.05, 0.6]))  # the head reads angry (label 3)
    w = np.zeros((4, 5), dtype=np.float32)
    w[0, 4] = 4.0  # the dense input pulls the stack towards neutral
    b = np.zeros(4, dtype=np.float32)
    mixed = EmotionCalibration(stack_w=w, stack_b=b, stack_weight=1.0)
    kept = EmotionCalibration(stack_w=w, stack_b=b, stack_weight=1.0, keep=(3, 0.01))
    assert mixed.choose(logits, np.array([1.0])) == 0
    assert kept.choose(logits, np.array([1.0])) == 3  # the stack still gives anger more than the floor
    assert EmotionCalibration(stack_w=w, stack_b=b, stack_weight=1.0, keep=(3, 0.5)).choose(logits, np.array([1.0])) == 0
