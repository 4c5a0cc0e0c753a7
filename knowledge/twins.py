"""Policies that say the same thing in two languages ("twins") and which of them is out of date.

Two policies are twins when either names the other in its `twin:` field, or, without such a field,
when their ids differ only by an `-en` suffix and their languages differ (the demo's convention).
Changing one (a new version or a rollback) flags the other as out of date until it changes too, or
an editor marks it as still in step.
"""

from __future__ import annotations

from typing import Any

from knowledge.registry import Registry
from storage.database import Conn

_NEWEST = (
    "SELECT v.policy_id, v.twin, v.locale FROM versions v WHERE v.version = "
    "(SELECT MAX(version) FROM versions w WHERE w.policy_id = v.policy_id)"
)


def twin_map(registry: Registry) -> dict[str, str]:
    """policy id -> its twin's id, for every policy that has one."""
    return pair_twins({r["policy_id"]: (r["twin"], r["locale"]) for r in registry.rows(_NEWEST)})


def pair_twins(newest: dict[str, tuple[str | None, str]]) -> dict[str, str]:
    """policy id -> its twin's id, given each policy's (twin field, locale)."""
    out: dict[str, str] = {}
    for pid, (twin, _) in newest.items():
        if twin and twin in newest and twin != pid:
            out.setdefault(pid, twin)
            out.setdefault(twin, pid)
    for pid, (_, locale) in newest.items():
        base = pid[:-3] if pid.endswith("-en") else None
        if base and base in newest and newest[base][1] != locale and pid not in out and base not in out:
            out[pid], out[base] = base, pid
    return out


def twin_of(registry: Registry, pid: str) -> str | None:
    """The twin of one policy, or None."""
    return twin_map(registry).get(pid)


def after_change(conn: Conn, registry: Registry, pid: str, version: int) -> None:
    """`pid` now serves other words (inside the write): if it was the one out of date it is in step
    again, otherwise its twin is now out of date."""
    twin = twin_of(registry, pid)
    if twin is None:
        return
    row = registry.policy(pid)
    if row is not None and row["outdated_by"]:
        mark_in_step(conn, pid)
    else:
        conn.execute("UPDATE policies SET outdated_by=?, outdated_version=? WHERE id=?", (pid, version, twin))


def mark_in_step(conn: Conn, pid: str) -> None:
    """Clear the out-of-date flag of `pid` (inside the write)."""
    conn.execute("UPDATE policies SET outdated_by=NULL, outdated_version=NULL WHERE id=?", (pid,))


def twin_facts(policy: Any, twin: str | None) -> dict[str, Any]:
    """What the list and the editor show about a policy's twin."""
    outdated = policy["outdated_by"] if policy is not None else None
    return {
        "twin": twin,
        "outdated_by": outdated,
        "outdated_version": policy["outdated_version"] if outdated else None,
    }
