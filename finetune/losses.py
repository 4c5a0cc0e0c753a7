"""Loss functions of the training stages, as pure functions of logits (table-tested).

KG-constrained loss (guide: L_total = 0.7·L_ce + 0.3·L_kg). For every token where an agent
answer realises a KG fact (a number of days/hours/working days, an amount in yuan, a count, or
the allow/deny marker of a rule such as "生鲜不支持七天无理由"), the KG gives the consistent value
g and the competing values C of the same kind (other day counts, other amounts, the opposite
polarity). With p the model's next-token distribution at that position,

    L_kg = mean over decision points of  -log( p(g) / (p(g) + Σ_{c∈C} p(c)) )

i.e. a softmax restricted to the KG candidates: it is ~0 when the model puts (almost) no mass on
KG-inconsistent values and grows as mass moves to a wrong fact, whatever the mass on unrelated
tokens. Plain CE already rewards p(g); L_kg adds the pressure away from the specific confusions the
KG knows about (15 天 where the rule is 7 天). With no decision point in a batch, L_kg = 0.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

IGNORE = -100


def causal_ce(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean next-token cross-entropy over positions whose label is not -100."""
    shift_logits = logits[:, :-1, :].reshape(-1, logits.size(-1)).float()
    shift_labels = labels[:, 1:].reshape(-1)
    if (shift_labels != IGNORE).sum() == 0:
        return shift_logits.sum() * 0.0
    return F.cross_entropy(shift_logits, shift_labels, ignore_index=IGNORE)


def kg_loss(
    logits: torch.Tensor,
    batch_idx: torch.Tensor,
    positions: torch.Tensor,
    gold: torch.Tensor,
    rivals: torch.Tensor,
) -> torch.Tensor:
    """KG-constrained loss over decision points (see module docstring).

    positions: token index j of the value token (predicted from logits at j-1); gold: [P] ids;
    rivals: [P, K] ids padded with -1.
    """
    if positions.numel() == 0:
        return logits.sum() * 0.0
    rows = logits[batch_idx, positions - 1, :].float()  # [P, V]
    cand = torch.cat([gold.unsqueeze(1), rivals.clamp(min=0)], dim=1)  # [P, 1+K]
    scores = rows.gather(1, cand)
    mask = torch.cat([torch.ones_like(gold, dtype=torch.bool).unsqueeze(1), rivals >= 0], dim=1)
    scores = scores.masked_fill(~mask, float("-inf"))
    return -(scores.log_softmax(dim=1)[:, 0]).mean()


def total_loss(ce: torch.Tensor, kg: torch.Tensor, kg_weight: float = 0.3) -> torch.Tensor:
    """L_total = (1 - w)·L_ce + w·L_kg (w = 0.3 gives the guide's 0.7/0.3)."""
    return (1.0 - kg_weight) * ce + kg_weight * kg


def distill_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    labels: torch.Tensor,
    alpha: float = 0.5,
    temperature: float = 2.0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """L = α·L_ce + (1-α)·T²·KL(p_teacher‖p_student), both softened by T, over labelled positions.

    Returns (loss, ce, kl); KL is summed over the vocabulary and averaged over the positions.
    The T² factor keeps the soft-target gradients on the scale of the hard-target ones.
    """
    ce = causal_ce(student_logits, labels)
    mask = labels[:, 1:] != IGNORE
    s = student_logits[:, :-1, :][mask].float() / temperature
    t = teacher_logits[:, :-1, :][mask].float() / temperature
    if s.numel() == 0:
        kl = ce * 0.0
    else:
        kl = F.kl_div(s.log_softmax(-1), t.log_softmax(-1), log_target=True, reduction="batchmean")
    return alpha * ce + (1.0 - alpha) * temperature**2 * kl, ce, kl
