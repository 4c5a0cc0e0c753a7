"""What every suite takes and returns."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.metrics import CostModel

log = logging.getLogger("kefu.evals")


class SuiteError(Exception):
    """A suite cannot run (a missing component or data file); the message says what to do."""


@dataclass
class SuiteOptions:
    """Options of one `kefu eval run` (flags of the CLI)."""

    settings: Any
    conversations: int | None = None
    seconds: float | None = None
    concurrency: int = 4
    seed: int = 7
    base_url: str | None = None
    source_data_dir: Path | None = None
    in_place: bool = False
    simulator: str = "rules"
    """rules (default) | llm (needs settings.llm_base_url)"""
    cost: CostModel = field(default_factory=CostModel)
    data_path: Path | None = None
    """Examples file of the nlu/kb suites (default: the shipped held-out set / question set)."""
    max_requests: int = 20000
    """Upper bound of requests of the load suite, whatever --seconds says."""
    server_workers: int = 2
    """Worker processes of the `kefu serve` that the load suite starts itself."""
    tasks_path: Path | None = None
    """Scenario file of the scenarios suite (`--tasks FILE.yaml`)."""
    repeat: int = 1
    """Plays of each scenario, each with its own simulator seed (`--repeat K`: pass^k)."""


@dataclass
class SuiteResult:
    """A suite's summary (metric -> number, some nested), chart data and per-item records."""

    suite: str
    summary: dict[str, Any]
    charts: dict[str, Any] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
