"""The MLP intent head: one hidden ReLU layer over the dense features, trained with torch (CPU).

Template-grouped cross-validation (finetune.nlu.cv) puts the mix of this head with the linear one
about a point above either alone: the MLP reads non-linear structure of the sentence vector.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from graph.nlu.model import MlpHead


@dataclass
class MlpConfig:
    """Shape and schedule of the MLP head."""

    hidden: int = 512
    epochs: int = 20
    weight: float = 0.5
    seed: int = 0


def fit_mlp(dense: np.ndarray, y: np.ndarray, n_classes: int, cfg: MlpConfig) -> MlpHead:
    """Train on (n, dim) dense features and integer labels; dropout, label smoothing, AdamW."""
    import torch

    torch.manual_seed(cfg.seed)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    first = torch.nn.Linear(dense.shape[1], cfg.hidden)
    second = torch.nn.Linear(cfg.hidden, n_classes)
    net = torch.nn.Sequential(torch.nn.Dropout(0.1), first, torch.nn.ReLU(), torch.nn.Dropout(0.5), second)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    x = torch.tensor(dense, dtype=torch.float32)
    target = torch.tensor(y, dtype=torch.long)
    gen = torch.Generator().manual_seed(cfg.seed)
    net.train()
    for _ in range(cfg.epochs):
        order = torch.randperm(len(target), generator=gen)
        for start in range(0, len(order), 128):
            batch = order[start : start + 128]
            loss = torch.nn.functional.cross_entropy(net(x[batch]), target[batch], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
    net.eval()
    return MlpHead(
        first.weight.detach().numpy().copy(),
        first.bias.detach().numpy().copy(),
        second.weight.detach().numpy().copy(),
        second.bias.detach().numpy().copy(),
        cfg.weight,
    )
