"""Differences between two versions of a policy (or a draft and what is served), as unified-diff lines."""

from __future__ import annotations

import difflib

MAX_CONTEXT = 10_000


def unified(old: str, new: str, old_name: str, new_name: str, context: int = 3) -> list[str]:
    """Unified-diff lines of two Markdown documents (headers `--- old_name` / `+++ new_name` first);
    empty when they are the same. `context` lines around each change (large: the whole document)."""
    n = max(0, min(int(context), MAX_CONTEXT))
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, n=n, lineterm=""))
