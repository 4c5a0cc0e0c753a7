"""Pure loss functions and early stopping, checked against hand-computed values."""

from __future__ import annotations

import math

import pytest
import torch

from finetune.early_stop import EarlyStopping
from finetune.losses import causal_ce, distill_loss, kg_loss, total_loss


def _logits(rows: list[list[float]]) -> torch.Tensor:
    return torch.tensor([rows], dtype=torch.float32)  # [1, T, V]


def test_distill_loss_matches_hand_computation():
    # one labelled position: logits at t=0 predict token 1 (labels[1] = 1)
    s = _logits([[1.0, 0.0], [0.0, 0.0]])
    t = _logits([[0.0, 1.0], [0.0, 0.0]])
    labels = torch.tensor([[-100, 1]])
    T, alpha = 2.0, 0.5
    ce = -math.log(math.exp(0) / (math.exp(1) + math.exp(0)))  # student p(token 1) at T=1
    ps = [math.exp(0.5) / (math.exp(0.5) + 1), 1 / (math.exp(0.5) + 1)]
    pt = [1 / (1 + math.exp(0.5)), math.exp(0.5) / (1 + math.exp(0.5))]
    kl = sum(p * math.log(p / q) for p, q in zip(pt, ps, strict=False))
    expected = alpha * ce + (1 - alpha) * T**2 * kl
    loss, ce_t, kl_t = distill_loss(s, t, labels, alpha=alpha, temperature=T)
    assert ce_t.item() == pytest.approx(ce, rel=1e-5)
    assert kl_t.item() == pytest.approx(kl, rel=1e-5)
    assert loss.item() == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("alpha,temperature", [(1.0, 2.0), (0.0, 1.5), (0.3, 1.0)])
def test_distill_loss_edges(alpha, temperature):
    logits = torch.randn(2, 5, 7)
    labels = torch.randint(0, 7, (2, 5))
    loss, ce, kl = distill_loss(logits, logits.clone(), labels, alpha, temperature)
    assert kl.item() == pytest.approx(0.0, abs=1e-6)  # identical teacher: no KL
    assert loss.item() == pytest.approx(alpha * ce.item(), rel=1e-5, abs=1e-6)


def test_kg_loss_restricted_softmax():
    # position 1's value is predicted from logits at position 0; vocab 4; gold 2, rivals 1 and 3
    logits = _logits([[5.0, 1.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    loss = kg_loss(logits, torch.tensor([0]), torch.tensor([1]), torch.tensor([2]), torch.tensor([[1, 3]]))
    expected = -math.log(math.exp(2) / (math.exp(2) + math.exp(1) + math.exp(0)))  # token 0 ignored
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    padded = kg_loss(logits, torch.tensor([0]), torch.tensor([1]), torch.tensor([2]), torch.tensor([[1, -1]]))
    assert padded.item() == pytest.approx(-math.log(math.exp(2) / (math.exp(2) + math.exp(1))), rel=1e-5)


def test_kg_loss_without_points_is_zero_and_total_weights():
    logits = torch.randn(1, 3, 4, requires_grad=True)
    empty = torch.tensor([], dtype=torch.long)
    zero = kg_loss(logits, empty, empty, empty, empty.reshape(0, 1))
    assert zero.item() == 0.0
    assert total_loss(torch.tensor(2.0), torch.tensor(1.0)).item() == pytest.approx(0.7 * 2 + 0.3 * 1)


def test_causal_ce_ignores_masked_positions():
    logits = _logits([[0.0, 0.0], [9.0, -9.0], [0.0, 0.0]])
    labels = torch.tensor([[-100, 0, -100]])
    assert causal_ce(logits, labels).item() == pytest.approx(math.log(2), rel=1e-5)


@pytest.mark.parametrize(
    "losses,stop_at",
    [
        ([3.0, 2.5, 2.6, 2.7, 2.8], 4),  # three rises in a row
        ([3.0, 2.9, 3.0, 2.8, 2.9, 3.0, 2.7], None),  # rises interrupted by falls
        ([2.0, 2.0, 2.0, 2.0], None),  # level is not a rise
        ([1.0, 1.1, 1.2, 1.3, 0.5], 3),  # stops at the third rise and stays stopped
    ],
)
def test_early_stopping_scripted(losses, stop_at):
    stopper = EarlyStopping(patience=3)
    flags = [stopper.update(x) for x in losses]
    if stop_at is None:
        assert not any(flags)
    else:
        assert flags.index(True) == stop_at and all(flags[stop_at:])
        assert stopper.stopped_at == stop_at
    assert stopper.best == min(losses[: (stop_at or len(losses) - 1) + 1])


def test_early_stopping_rejects_bad_patience():
    with pytest.raises(ValueError):
        EarlyStopping(patience=0).update(1.0)
