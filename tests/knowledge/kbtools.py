"""Helpers shared by the knowledge tests."""

from __future__ import annotations

from typing import Any


def policy_md(pid: str, title: str, body: str, **meta: Any) -> str:
    """A policy document in the import format."""
    lines = [f"id: {pid}", f"title: {title}"] + [f"{k}: {v}" for k, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"
