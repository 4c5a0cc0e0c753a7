"""Early stopping on the validation loss (guide: stop when it rises for 3 consecutive evaluations)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class EarlyStopping:
    """Counts consecutive rises of the validation loss and remembers the best evaluation.

    `update(loss)` returns True when the loss has risen `patience` evaluations in a row (each one
    higher than the one before). A loss that falls or stays level resets the count. Once stopped,
    it stays stopped.
    """

    patience: int = 3
    min_delta: float = 0.0
    history: list[float] = field(default_factory=list)
    rises: int = 0
    best: float = float("inf")
    best_eval: int = -1
    stopped_at: int | None = None

    def update(self, loss: float) -> bool:
        """Record one evaluation; True when training should stop."""
        if self.patience < 1:
            raise ValueError(f"patience must be >= 1, got {self.patience}")
        if self.stopped_at is not None:  # stopped is final: later values are not recorded
            return True
        if self.history and loss > self.history[-1] + self.min_delta:
            self.rises += 1
        else:
            self.rises = 0
        self.history.append(float(loss))
        if loss < self.best:
            self.best, self.best_eval = float(loss), len(self.history) - 1
        if self.rises >= self.patience and self.stopped_at is None:
            self.stopped_at = len(self.history) - 1
        return self.stopped_at is not None

    @property
    def is_best(self) -> bool:
        """Whether the last evaluation is the best so far."""
        return self.best_eval == len(self.history) - 1
