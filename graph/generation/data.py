"""Loads the generation tier's data files (reply templates, lexicon, prompts) once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_HERE = Path(__file__).parent


class GenerationDataError(RuntimeError):
    """A packaged template or prompt file is missing or malformed."""


@cache
def load_yaml(relative: str) -> dict[str, Any]:
    """A YAML mapping shipped beside this module, e.g. 'templates/lexicon.yaml'."""
    path = _HERE / relative
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GenerationDataError(f"cannot read {relative}: {exc}") from exc
    if not isinstance(data, dict):
        raise GenerationDataError(f"{relative} must hold a mapping")
    return data


@cache
def load_text(relative: str) -> str:
    """A text file (prompt) shipped beside this module."""
    try:
        return (_HERE / relative).read_text(encoding="utf-8")
    except OSError as exc:
        raise GenerationDataError(f"cannot read {relative}: {exc}") from exc
