"""A policy changed while conversations run: the stress suite publishes new versions of the
free-shipping policies (threshold 99 -> 129 yuan, every language) through the knowledge base and
then asks about it; the replies must carry the new number and never the old one. The old versions
are restored afterwards. Scenario files name their own change (`publish_edit`)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from evals import phrasing
from evals.tasks import Task

EDITOR = "kefu-eval"
QUERIES = ["满多少钱包邮 运费 免运费门槛", "free shipping threshold shipping fee"]
_TOPIC = re.compile(r"包邮|运费|免运费|shipping|delivery fee", re.IGNORECASE)
OLD_FACT, NEW_FACT = "99", "129"
_OLD = re.compile(rf"(?<![\d.]){OLD_FACT}(?![\d])")


@dataclass
class LivePolicyChange:
    """What was changed, so questions can be checked and the change undone."""

    settings: Any
    versions: dict[str, tuple[int, int]] = field(default_factory=dict)
    """policy id -> (version before, version published) of every policy that stated the old fact."""
    kb_fresh: bool = False
    """The knowledge base itself served the new fact right after publishing (retrieval check)."""

    @property
    def applied(self) -> bool:
        return bool(self.versions)

    def task(self, task_id: str, rng: random.Random) -> Task:
        """A customer asking about the changed fact."""
        return Task(
            task_id=task_id,
            kind="policy_change",
            goal="free_shipping",
            user_id="demo",
            persona=rng.choice(sorted(phrasing.personas())),
            facts=[[NEW_FACT]],
            forbidden_facts=[OLD_FACT],
        )

    def restore(self) -> None:
        """Serve the old versions again (matters only when the run used a real data dir in place)."""
        if self.applied:
            from knowledge import open_kb

            kb = open_kb(self.settings)
            for pid, (old, _new) in self.versions.items():
                kb.rollback(pid, old, editor=EDITOR)

    def describe(self) -> dict[str, Any]:
        """The change as numbers for summary.json."""
        return {
            "policies_changed": len(self.versions),
            "old_value": float(OLD_FACT),
            "new_value": float(NEW_FACT),
            "kb_fresh": float(self.kb_fresh),
        }


def start_policy_change(settings: Any) -> LivePolicyChange:
    """Publish new versions now of every policy (each language) that states the free-shipping
    threshold; a change with nothing applied when none states the old fact."""
    from knowledge import open_kb

    kb = open_kb(settings)
    change = LivePolicyChange(settings)
    pids = dict.fromkeys(hit["policy_id"] for query in QUERIES for hit in kb.search(query, k=3))
    for pid in pids:
        doc = kb.get(pid)
        edited = _edited(doc, _OLD, NEW_FACT, _TOPIC)
        if edited is not None:
            published = kb.publish(edited, editor=EDITOR)
            change.versions[str(pid)] = (int(doc["version"]), int(published["version"]))
    tops = [kb.search(query, k=1) for query in QUERIES]
    change.kb_fresh = change.applied and all(
        top and NEW_FACT in top[0]["text"] and not _OLD.search(top[0]["text"]) for top in tops
    )
    return change


def publish_edit(settings: Any, policies: list[str], old: str, new: str) -> LivePolicyChange:
    """Publish new versions now of `policies` with every standalone `old` replaced by `new`.

    ValueError names a policy that does not exist or does not state `old` (nothing is published then)."""
    from knowledge import open_kb
    from knowledge.errors import KbError

    kb = open_kb(settings)
    lead = r"(?<![\d.])" if old[:1].isdigit() else ""
    pattern = re.compile(lead + re.escape(old) + (r"(?![\d])" if old[-1:].isdigit() else ""))
    edits = []
    for pid in policies:
        try:
            doc = kb.get(pid)
        except KbError as exc:
            raise ValueError(f"policy_change: no policy {pid!r} in the knowledge base") from exc
        edited = _edited(doc, pattern, new, None)
        if edited is None:
            raise ValueError(f"policy_change: policy {pid!r} does not state {old!r}")
        edits.append((pid, int(doc["version"]), edited))
    change = LivePolicyChange(settings)
    for pid, version, edited in edits:
        change.versions[pid] = (version, int(kb.publish(edited, editor=EDITOR)["version"]))
    return change


def _edited(doc: dict[str, Any], old: re.Pattern[str], new: str, topic: re.Pattern[str] | None) -> str | None:
    """The policy's Markdown with `old` replaced on (topic) lines of its body; None when nothing changes."""
    front, sep, body = str(doc["markdown"]).partition("\n---\n")
    new_body = "\n".join(
        old.sub(new, line) if topic is None or topic.search(line) else line for line in body.split("\n")
    )
    if not sep or new_body == body:
        return None
    front = "\n".join(line for line in front.splitlines() if not line.startswith("version:"))
    return front + sep + new_body
