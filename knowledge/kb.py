"""The policy knowledge base: search what is in force, read versions and their differences, and (through
`KbChanges`) publish / retire / restore / roll back / cancel versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from knowledge import views
from knowledge.changes import KbChanges
from knowledge.diffs import unified
from knowledge.documents import PolicyDoc, normalise_locale
from knowledge.drafts import Drafts
from knowledge.overlay import MAX_QUERY_CHARS, DraftView, normalise_query
from knowledge.serving import dense_pool
from knowledge.text import expand_query
from knowledge.twins import twin_facts, twin_map
from knowledge.versioning import Expect, check_expectation, newest_live

__all__ = ["MAX_QUERY_CHARS", "KnowledgeBase", "normalise_query"]
Records = list[dict[str, Any]]  # aliases: the class has a method named `list`


class KnowledgeBase(KbChanges):
    """One shop's policies: the registry (SQLite or Postgres) is the truth, Chroma holds the chunk vectors."""

    @property
    def drafts(self) -> Drafts:
        """The editors' unpublished drafts."""
        return Drafts(self.registry)

    # ---------- what is served ----------
    def search(self, query: str, k: int = 3, locale: str | None = None, *, at: date | None = None) -> Records:
        """Best policy chunks for `query` among the versions in force (one result per policy); each
        result carries `policy_set`, the version of the served set it was found in."""
        text = normalise_query(query)
        k = max(1, min(int(k), 50))
        if not text:
            return []
        with self._lock:
            index = self._refresh(at or self.today())
            if not index.chunks:
                return []
            vector = self.embedder.encode([expand_query(text)], is_query=True)[0]
            dense = self._retrying(lambda: self.vectors.query(vector, dense_pool(k, len(index.chunks))), [])
            return index.fuse(text, vector, dense, k, normalise_locale(locale) if locale else None)

    def versions_of(self, ids: list[str]) -> dict[str, int]:
        """Version in force today per id (0 when unknown, retired or not in force)."""
        with self._lock:
            index = self._refresh(self.today())
            return {pid: index.served.get(pid, 0) for pid in ids}

    def policy_set_version(self) -> str:
        """The version of the whole served set: it changes with every publish that takes effect, every
        scheduled version reaching its date, every retire, restore and rollback, in any process."""
        with self._lock:
            return self._refresh(self.today()).fingerprint

    def with_draft(self, doc: PolicyDoc) -> DraftView:
        """The served policies as they would be with `doc` published now (nothing is stored)."""
        return DraftView(self, doc)

    def stats(self) -> dict[str, int]:
        """Sizes of what is served now: policies and chunks."""
        with self._lock:
            index = self._refresh(self.today())
            return {"policies_served": len(index.served), "chunks_served": len(index.chunks)}

    # ---------- versions ----------
    def get(self, pid: str, version: int | None = None) -> dict[str, Any]:
        """One version (default: the one in force, else the newest) with body and Markdown, plus what an
        editor needs to change it: `base_version` (send it back when publishing), its linked `twin` (by the
        twin field or the -en naming convention; `twin_field` is the document's own) and whether it is out of date."""
        with self._lock:
            rows = self._versions(pid)
            today = self.today()
            in_force = self.registry.candidates(today).get(pid)
            row = (in_force or rows[-1]) if version is None else self._row(pid, version)
            policy = self.registry.policy(pid)
            shown = views.full(row, views.status_of(row, in_force, policy, today))
            return {**shown, "twin_field": shown["twin"], "base_version": newest_live(self.registry, pid),
                    "current_version": in_force["version"] if in_force else None,
                    **twin_facts(policy, twin_map(self.registry).get(pid))}

    def history(self, pid: str) -> Records:
        """All versions of a policy, oldest first, each with its status today."""
        with self._lock:
            rows = self._versions(pid)
            today = self.today()
            in_force = self.registry.candidates(today).get(pid)
            policy = self.registry.policy(pid)
            return [views.summary(r, views.status_of(r, in_force, policy, today)) for r in rows]

    def diff(self, pid: str, old: int, new: int, context: int = 3) -> dict[str, Any]:
        """{"from", "to", "diff": unified-diff lines} between the Markdown of two versions."""
        with self._lock:
            a, b = self._row(pid, old), self._row(pid, new)
            lines = unified(views.editable_markdown(a), views.editable_markdown(b), f"v{old}", f"v{new}", context)
            return {"policy_id": pid, "from": int(old), "to": int(new), "diff": lines}

    def diff_draft(self, doc: PolicyDoc, context: int = 3, expect: Expect | None = None) -> dict[str, Any]:
        """The draft against what is served now (else the newest live version, else nothing):
        {"from": version or None, "from_status", "to": "draft", "diff"}; raises what publishing it
        with `expect` would raise now (the check is repeated when it is published)."""
        with self._lock:
            rows = self.registry.versions(doc.id)
            today = self.today()
            if expect is not None:
                check_expectation(self.registry, doc, expect, today)
            in_force = self.registry.candidates(today).get(doc.id)
            live = [r for r in rows if not r["withdrawn"]]
            base = in_force or (live[-1] if live else None)
            old = views.editable_markdown(base) if base is not None else ""
            name = f"v{base['version']}" if base is not None else "(new)"
            status = views.status_of(base, in_force, self.registry.policy(doc.id), today) if base else None
            lines = unified(old, doc.to_markdown(with_version=False), name, "draft", context)
            return {"policy_id": doc.id, "from": base["version"] if base is not None else None,
                    "from_status": status, "to": "draft", "diff": lines}

    def list(self, query: str | None = None, status: str | None = None) -> Records:
        """Every policy (retired ones too) with its version in force and newest version; `query` keeps
        those whose id, title, category or text contain every word, `status` those in that state."""
        with self._lock:
            today = self.today()
            in_force = self.registry.candidates(today)
            twins = twin_map(self.registry)
            out = []
            for pid in self.registry.policy_ids():
                rows = self.registry.versions(pid)
                if not rows or (query and not views.matches(rows, query)):
                    continue
                line = views.listing(rows, in_force.get(pid), self.registry.policy(pid), today, twins.get(pid))
                if views.wanted(line, status):
                    out.append(line)
            return out

    def audit(self, pid: str | None = None) -> Records:
        """Audit entries (who, when, action, from version, to version), newest first."""
        if pid is not None:
            self._versions(pid)
        with self._lock:
            return self.registry.audit(pid)
