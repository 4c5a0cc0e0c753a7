"""The bundled demo policies: where they live, and retiring them when a shop imports its own.

A shop's policies never mix with the demo's. A data dir whose policies in force are all demo
policies (bundled ids, stored by the demo seeding) is a demo shop: the first import of a shop's own
policies retires the demo set. Once any policy in force is the shop's own (or an editor changed a
demo policy), nothing is retired automatically any more.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

DEMO_EDITOR = "system"
"""The editor name the demo seeding records; a demo policy an editor republished is the shop's own."""


def demo_policies_dir() -> Path:
    """Folder of the bundled demo policies."""
    return Path(str(resources.files("knowledge.demo_policies")))


@cache
def demo_ids() -> frozenset[str]:
    """Ids of the bundled demo policies (read from their front matter)."""
    from knowledge.importer import policy_files, read_policy

    return frozenset(read_policy(p, 256 * 1024).id for p in policy_files(demo_policies_dir()))


def demo_only_in_force(kb: Any, today: date | None = None) -> list[str]:
    """The ids in force when every policy in force is a demo policy as seeded, else []."""
    in_force = kb.registry.candidates(today or kb.today())
    bundled = demo_ids()
    if not in_force or any(pid not in bundled or row["editor"] != DEMO_EDITOR for pid, row in in_force.items()):
        return []
    return sorted(in_force)
