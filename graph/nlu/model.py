"""Trained front-tier models (filled in by the training pipeline); see load_models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ARTIFACT_NAME = "nlu_model.npz"


def load_models(folder: Path) -> tuple[Any, Any, str]:
    """Not yet available: the runtime only calls this when an artifact exists."""
    raise FileNotFoundError(f"no NLU artifact loader for {folder}")
