"""A policy changed while conversations run: the stress suite publishes a new version of the
free-shipping policy (threshold 99 -> 129 yuan) through the knowledge base and then asks about it;
the replies must carry the new number and never the old one. The old version is restored after."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from evals import phrasing
from evals.tasks import Task

EDITOR = "kefu-eval"
QUERY = "满多少钱包邮 运费 免运费门槛"
OLD_FACT, NEW_FACT = "99", "129"
_OLD = re.compile(rf"(?<![\d.]){OLD_FACT}(?![\d])")


@dataclass
class LivePolicyChange:
    """What was changed, so questions can be checked and the change undone."""

    settings: Any
    policy_id: str | None = None
    old_version: int = 0
    new_version: int = 0
    kb_fresh: bool = False
    """The knowledge base itself served the new fact right after publishing (retrieval check)."""

    @property
    def applied(self) -> bool:
        return self.policy_id is not None and self.new_version > self.old_version

    def task(self, task_id: str, rng: random.Random) -> Task:
        """A customer asking about the changed fact."""
        facts = [[NEW_FACT]]
        return Task(
            task_id=task_id,
            kind="policy_change",
            goal="free_shipping",
            user_id="demo",
            persona=rng.choice(sorted(phrasing.personas())),
            facts=facts,
            forbidden_facts=[OLD_FACT],
        )

    def restore(self) -> None:
        """Serve the old version again (matters only when the run used a real data dir in place)."""
        if self.applied:
            from knowledge import open_kb

            open_kb(self.settings).rollback(str(self.policy_id), self.old_version, editor=EDITOR)

    def describe(self) -> dict[str, Any]:
        """The change as numbers for summary.json."""
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "old_value": float(OLD_FACT),
            "new_value": float(NEW_FACT),
            "kb_fresh": float(self.kb_fresh),
        }


def start_policy_change(settings: Any) -> LivePolicyChange:
    """Publish the new version now; a change with nothing applied when no policy states the old fact."""
    from knowledge import open_kb

    kb = open_kb(settings)
    change = LivePolicyChange(settings)
    for hit in kb.search(QUERY, k=3):
        doc = kb.get(hit["policy_id"])
        front, sep, body = str(doc["markdown"]).partition("\n---\n")
        if not sep or not _OLD.search(body):
            continue
        front = "\n".join(line for line in front.splitlines() if not line.startswith("version:"))
        published = kb.publish(front + sep + _OLD.sub(NEW_FACT, body), editor=EDITOR)
        change.policy_id, change.old_version = str(hit["policy_id"]), int(doc["version"])
        change.new_version = int(published["version"])
        top = kb.search(QUERY, k=1)
        change.kb_fresh = bool(top) and NEW_FACT in top[0]["text"] and not _OLD.search(top[0]["text"])
        break
    return change
