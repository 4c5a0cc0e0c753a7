"""The answer cache for policy questions: intent + similar question + the served policy set's version.

An entry is served only while the shop serves the same set of policy versions it was answered from
(`policy_set`, read from the knowledge base at each lookup, so a change made by any process counts):
publishing, a scheduled version reaching its date, retiring, restoring and rolling back all
invalidate it before the next answer, whether or not the answer cited the policy that changed (a
retired policy or a newly relevant one changes the answer too). Without `policy_set` (benchmarks,
tests) an entry is served while every policy it cites keeps its version. Questions or contexts naming an
order, phone or tracking number are never stored nor served. Eviction is an LRU+LFU hybrid: the
least-used entry among the least recently used quarter goes first, within a bound in entries and
in bytes. It lives in process memory (it is a cache; it rebuilds itself from traffic).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from graph.generation.matching import Matcher, key_terms, make_matcher, normalise_question
from graph.generation.text import order_identifiers

VersionsFn = Callable[[list[str]], dict[str, int]]
"""current_versions(policy_ids) -> {policy_id: version currently served} (missing id: retired)."""
PolicySetFn = Callable[[], str]
"""policy_set() -> the version of the whole set of policies served now (graph/ports.py PolicyBase)."""
PRIVATE_SLOTS = ("order_id", "phone", "tracking_no", "address")


@dataclass
class _Entry:
    intent: str
    key: str
    terms: frozenset[str]
    vector: Any
    answer: dict[str, Any]
    citations: list[dict[str, Any]]
    size: int
    policy_set: str | None = None
    hits: int = 0


def _passage_sets(context: dict[str, Any] | None) -> set[str]:
    """The policy-set versions the context's passages were retrieved from (search results carry one)."""
    passages = (context or {}).get("passages")
    if not isinstance(passages, list):
        return set()
    return {str(p["policy_set"]) for p in passages if isinstance(p, dict) and p.get("policy_set")}


def _carries_private(context: dict[str, Any] | None) -> bool:
    """True when a context (slots, dst summary) holds an order id, phone or tracking number."""
    if not context:
        return False
    nested = context.get("slots")
    slots: dict[str, Any] = nested if isinstance(nested, dict) else context
    if any(slots.get(k) for k in PRIVATE_SLOTS):
        return True
    return bool(order_identifiers(json.dumps(context, ensure_ascii=False, default=str)))


class AnswerCache:
    """Policy answers keyed by intent, question similarity and cited policy versions."""

    def __init__(self, *, max_entries: int = 2000, max_bytes: int = 4_000_000, threshold: float = 0.6,
                 matcher: str | Matcher = "ngram", policy_set: PolicySetFn | None = None) -> None:
        self.max_entries, self.max_bytes, self.threshold = max_entries, max_bytes, threshold
        self.policy_set = policy_set
        self._seen_set: str | None = None
        self.matcher = make_matcher(matcher) if isinstance(matcher, str) else matcher
        self._entries: OrderedDict[int, _Entry] = OrderedDict()  # least recently used first
        self._by_key: dict[tuple[str, str], int] = {}
        self._next_id, self._bytes = 0, 0
        self._counts = {"lookups": 0, "hits": 0, "misses": 0, "stale": 0, "refused": 0, "puts": 0, "evictions": 0,
                        "similar_hits": 0}
        self._lock = threading.Lock()

    def get(self, intent: str, question: str, current_versions: VersionsFn,
            *, context: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The cached answer (a copy, with "cache": "hit") or None."""
        now = self._current_set()
        with self._lock:
            self._counts["lookups"] += 1
            if order_identifiers(question) or _carries_private(context):
                self._counts["refused"] += 1
                self._counts["misses"] += 1
                return None
            if now is not None:
                self._forget_other_sets(now)
            entry_id, exact = self._find(intent, question)
            if entry_id is None:
                self._counts["misses"] += 1
                return None
            entry = self._entries[entry_id]
        if not self._fresh(entry, current_versions, now):
            with self._lock:
                self._drop(entry_id)
                self._counts["stale"] += 1
                self._counts["misses"] += 1
            return None
        with self._lock:
            if entry_id in self._entries:
                entry.hits += 1
                self._entries.move_to_end(entry_id)
            self._counts["hits"] += 1
            self._counts["similar_hits"] += int(not exact)
        return {**entry.answer, "citations": [dict(c) for c in entry.citations], "cache": "hit"}

    def put(self, intent: str, question: str, answer: dict[str, Any], citations: Iterable[dict[str, Any]],
            *, context: dict[str, Any] | None = None) -> bool:
        """Store an answer; refused (False) without citations, when anything names an order/account, or when
        the passages it was written from were found in another policy set than the one served now."""
        cites = [{"policy_id": str(c["policy_id"]), "version": int(c["version"])} for c in citations or []
                 if isinstance(c, dict) and c.get("policy_id") is not None and c.get("version") is not None]
        text = str(answer.get("text") or "") if isinstance(answer, dict) else ""
        key = normalise_question(question)
        if not cites or not text or not key or order_identifiers(question) or order_identifiers(text) \
                or _carries_private(context):
            with self._lock:
                self._counts["refused"] += 1
            return False
        stamp = self._current_set()
        if self.policy_set is not None and (stamp is None or _passage_sets(context) - {stamp}):
            with self._lock:  # the policies changed while this answer was being written
                self._counts["stale"] += 1
            return False
        stored = {k: v for k, v in answer.items() if k not in ("citations", "cache")}
        size = len(key.encode()) + len(json.dumps(stored, ensure_ascii=False).encode()) + 64 * len(cites) + 256
        entry = _Entry(intent, key, key_terms(question), self.matcher.vector(question), stored, cites, size, stamp)
        with self._lock:
            old = self._by_key.get((intent, key))
            if old is not None:
                self._drop(old)
            self._entries[self._next_id] = entry
            self._by_key[(intent, key)] = self._next_id
            self._next_id += 1
            self._bytes += size
            self._counts["puts"] += 1
            self._evict()
        return True

    def stats(self) -> dict[str, Any]:
        """Counters for metrics: lookups, hits (similar_hits: by similarity, not exact text), misses,
        stale (version changed), refused (private), hit_rate, entries, bytes, evictions, ..."""
        with self._lock:
            out: dict[str, Any] = dict(self._counts)
            out.update(entries=len(self._entries), bytes=self._bytes, max_entries=self.max_entries,
                       max_bytes=self.max_bytes, matcher=self.matcher.name, threshold=self.threshold)
        out["hit_rate"] = out["hits"] / out["lookups"] if out["lookups"] else 0.0
        return out

    def clear(self) -> None:
        """Drop every entry (counters are kept)."""
        with self._lock:
            self._entries.clear()
            self._by_key.clear()
            self._bytes = 0

    def _find(self, intent: str, question: str) -> tuple[int | None, bool]:
        """(entry id or None, whether the normalised question matched exactly)."""
        key = normalise_question(question)
        if not key:
            return None, False
        exact = self._by_key.get((intent, key))
        if exact is not None:
            return exact, True
        terms, vector = key_terms(question), self.matcher.vector(question)
        best, best_id = self.threshold, None
        for entry_id, entry in self._entries.items():
            if entry.intent != intent or entry.terms != terms:
                continue
            score = self.matcher.similarity(vector, entry.vector)
            if score >= best:
                best, best_id = score, entry_id
        return best_id, False

    def _current_set(self) -> str | None:
        """The served set's version now; None without `policy_set` or when it cannot be read."""
        if self.policy_set is None:
            return None
        try:
            return str(self.policy_set())
        except Exception:  # noqa: BLE001 - the knowledge base is unreachable: nothing can be verified
            return None

    def _forget_other_sets(self, now: str) -> None:
        """The served set changed: every entry answered from another set goes (under the lock)."""
        if self._seen_set == now:
            return
        for entry_id in [i for i, e in self._entries.items() if e.policy_set != now]:
            self._drop(entry_id)
            self._counts["stale"] += 1
        self._seen_set = now

    def _fresh(self, entry: _Entry, current_versions: VersionsFn, now: str | None) -> bool:
        if self.policy_set is not None and (now is None or now != entry.policy_set):
            return False
        ids = [c["policy_id"] for c in entry.citations]
        try:
            current = current_versions(ids) or {}
        except Exception:  # noqa: BLE001 - the knowledge base is unreachable: do not serve what we cannot verify
            return False
        return all(current.get(c["policy_id"]) == c["version"] for c in entry.citations)

    def _drop(self, entry_id: int) -> None:
        entry = self._entries.pop(entry_id, None)
        if entry is not None:
            self._bytes -= entry.size
            self._by_key.pop((entry.intent, entry.key), None)

    def _evict(self) -> None:
        """LRU+LFU: among the least recently used quarter, drop the least used entry, until within bounds."""
        while len(self._entries) > 1 and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
            window = max(1, len(self._entries) // 4)
            candidates = [eid for eid, _ in zip(self._entries, range(window), strict=False)]
            victim = min(candidates, key=lambda eid: self._entries[eid].hits)
            self._drop(victim)
            self._counts["evictions"] += 1
