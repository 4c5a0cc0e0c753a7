"""Changing what is served: publish, retire, restore, roll back, cancel a scheduled version.

Each change is one SQLite transaction (`BEGIN IMMEDIATE`: processes take turns) that also bumps the
generation counter, so every process rebuilds its served index, and with it the policy-set version
that answer caches are keyed by, before its next search.
"""

from __future__ import annotations

from typing import Any

from knowledge import twins
from knowledge.core import KbCore
from knowledge.documents import PolicyDoc, from_fields, parse_markdown
from knowledge.entries import entry_ids
from knowledge.errors import KbError
from knowledge.publishing import Plan, plan_version, prepare_all, store_plan
from knowledge.registry import now_iso
from knowledge.versioning import Expect, editor_name

Results = list[dict[str, Any] | KbError]


class KbChanges(KbCore):
    """The writing half of the knowledge base."""

    def publish(
        self, doc: str | dict[str, Any] | PolicyDoc, editor: str, expect: Expect | None = None
    ) -> dict[str, Any]:
        """Store a document as the next version of its id (new id: version 1); `expect` guards an
        editor's change against overwriting what they did not see.

        Returns {"policy_id", "version", "status": imported|updated|unchanged, "effective_from"}.
        """
        if isinstance(doc, str):
            doc = parse_markdown(doc, self.max_doc_bytes)
        elif isinstance(doc, dict):
            doc = from_fields(doc)
        (result,) = self.publish_many([doc], editor, [expect])
        if isinstance(result, KbError):
            raise result
        return result

    def publish_many(self, docs: list[PolicyDoc], editor: str, expects: list[Expect | None] | None = None) -> Results:
        """Store several documents in one transaction (all or none), one result or error per document.

        Ids must be distinct. A version conflict only fails its own document.
        """
        editor = editor_name(editor)
        checks = list(expects or [None] * len(docs))
        prepared = prepare_all(docs, self.embedder)
        results: Results = [{} for _ in docs]
        with self._lock:
            with self.registry.write() as conn:
                self._note_foreign_writes()
                today = self.today()
                in_force = self.registry.candidates(today)
                plan: Plan = []
                for i, item in enumerate(prepared):
                    outcome = plan_version(self.registry, item, checks[i], today)
                    if isinstance(outcome, int):
                        plan.append((i, item, outcome))
                    else:
                        results[i] = outcome
                store_plan(self.registry, self.vectors, conn, plan, editor, in_force, results, today, checks)
            if plan:
                self._cleanup([item.doc.id for _, item, _ in plan])
        return results

    def retire(self, pid: str, editor: str) -> dict[str, Any]:
        """Stop serving a policy; its versions stay for history, restore and rollback."""
        return self.retire_many([pid], editor)[0]

    def retire_many(self, pids: list[str], editor: str) -> list[dict[str, Any]]:
        """Stop serving several policies in one transaction (all or none); versions stay for history."""
        editor = editor_name(editor)
        with self._lock:
            for pid in pids:
                self._versions(pid)
            with self.registry.write() as conn:
                self._note_foreign_writes()
                in_force = self.registry.candidates(self.today())
                for pid in pids:
                    policy = self.registry.policy(pid)
                    if policy is not None and policy["retired_at"]:
                        raise KbError(code="already_retired", field="id", pid=pid)
                    conn.execute("UPDATE policies SET retired_at=?, retired_by=? WHERE id=?", (now_iso(), editor, pid))
                    current = in_force.get(pid)
                    self.registry.log(conn, editor, pid, "retire", current["version"] if current else None, None)
            self._cleanup(list(pids))
            return [{"policy_id": pid, "status": "retired"} for pid in pids]

    def restore(self, pid: str, editor: str) -> dict[str, Any]:
        """Serve a retired policy again, with the versions it had (the one in force, scheduled ones)."""
        editor = editor_name(editor)
        with self._lock:
            self._index_servable(pid)
            with self.registry.write() as conn:
                self._note_foreign_writes()
                policy = self.registry.policy(pid)
                if policy is None or not policy["retired_at"]:
                    raise KbError(code="not_retired", field="id", pid=pid)
                conn.execute("UPDATE policies SET retired_at=NULL, retired_by=NULL WHERE id=?", (pid,))
                current = self.registry.candidates(self.today()).get(pid)
                self.registry.log(conn, editor, pid, "restore", None, current["version"] if current else None)
            self._cleanup([pid])
            return {"policy_id": pid, "version": current["version"] if current else None, "status": "restored"}

    def rollback(self, pid: str, version: int, editor: str) -> dict[str, Any]:
        """Serve `version` again: newer versions are withdrawn (kept in history), retirement undone.
        Only a version that may be served today can be rolled back to (not a scheduled or expired one)."""
        editor = editor_name(editor)
        with self._lock:
            target = self._row(pid, version)
            today = self.today().isoformat()
            if target["effective_from"] and target["effective_from"] > today:
                raise KbError(code="rollback_scheduled", field="version", pid=pid, version=int(version),
                              start=target["effective_from"])
            if target["effective_to"] and target["effective_to"] < today:
                raise KbError(code="rollback_expired", field="version", pid=pid, version=int(version),
                              end=target["effective_to"])
            self._index_version(target)
            with self.registry.write() as conn:
                self._note_foreign_writes()
                current = self.registry.candidates(self.today()).get(pid)
                conn.execute(
                    "UPDATE versions SET withdrawn = CASE WHEN version > ? THEN 1 ELSE 0 END "
                    "WHERE policy_id=? AND version >= ?",
                    (int(version), pid, int(version)),
                )
                conn.execute("UPDATE policies SET retired_at=NULL, retired_by=NULL WHERE id=?", (pid,))
                self.registry.log(
                    conn, editor, pid, "rollback", current["version"] if current else None, int(version)
                )
                if current is None or current["version"] != int(version):
                    twins.after_change(conn, self.registry, pid, int(version))
            self._cleanup([pid])
            return {"policy_id": pid, "version": int(version), "status": "rolled_back"}

    def cancel_scheduled(self, pid: str, version: int, editor: str) -> dict[str, Any]:
        """Withdraw a version that has not started yet (it stays in history)."""
        editor = editor_name(editor)
        with self._lock:
            self._row(pid, version)
            with self.registry.write() as conn:
                self._note_foreign_writes()
                row = self.registry.version(pid, int(version))
                if row is None or row["withdrawn"] or not row["effective_from"] \
                        or row["effective_from"] <= self.today().isoformat():
                    raise KbError(code="not_scheduled", field="version", pid=pid, version=int(version))
                conn.execute("UPDATE versions SET withdrawn=1 WHERE policy_id=? AND version=?", (pid, int(version)))
                self.registry.log(conn, editor, pid, "cancel", int(version), None)
            self._cleanup([pid])
            return {"policy_id": pid, "version": int(version), "status": "cancelled"}

    def mark_in_step(self, pid: str, editor: str) -> dict[str, Any]:
        """An editor checked that `pid` still says what its twin says: clear its out-of-date flag."""
        editor = editor_name(editor)
        with self._lock:
            self._versions(pid)
            with self.registry.write() as conn:
                twins.mark_in_step(conn, pid)
                self.registry.log(conn, editor, pid, "in_step", None, None)
            return {"policy_id": pid, "status": "in_step"}

    def sync_vectors(self) -> dict[str, int]:
        """Make Chroma hold exactly the chunks of versions in force or scheduled (SQLite is the truth).

        Repairs a store after an interrupted write, a lost Chroma folder or a fresh Chroma server.
        """
        with self._lock:
            today = self.today()
            rows = list(self.registry.candidates(today).values()) + self.registry.scheduled(today)
            present = self.vectors.ids()
            expected: set[str] = set()
            added = 0
            for row in rows:
                n_chunks = len(self.registry.chunks(row["policy_id"], row["version"]))
                ids = set(entry_ids(row["policy_id"], row["version"], n_chunks))
                expected |= ids
                if not ids <= present:
                    self._index_version(row)
                    added += 1
            extra = sorted(present - expected)
            self.vectors.delete_ids(extra)
            return {"reindexed_versions": added, "removed_chunks": len(extra)}

    def _index_servable(self, pid: str) -> None:
        """Before a retired policy is served again: vectors for each of its versions that may be served
        today or later (retirement dropped them; the cleanup after the write drops any extra)."""
        today = self.today().isoformat()
        for row in self._versions(pid):
            if not row["withdrawn"] and (row["effective_to"] is None or row["effective_to"] >= today):
                self._index_version(row)
