"""Policy knowledge base: versioned Markdown policies, hybrid (dense + lexical) search, audit.

Public API used by the graph and the app:
    open_kb(settings) -> KnowledgeBase   (cached per data dir and process)
    KnowledgeBase.search / versions_of / policy_set_version / get / history / list / diff / audit
    KnowledgeBase.publish (with an `Expect`) / retire / restore / rollback / cancel_scheduled / mark_in_step
    KnowledgeBase.drafts (unpublished work) / diff_draft / with_draft (search as if a draft were published)
    rewrite_query(text, history, slots) -> str
"""

from __future__ import annotations

from knowledge.errors import (
    EditConflictError,
    KbError,
    PolicyFormatError,
    UnknownPolicyError,
    VersionConflictError,
)
from knowledge.kb import KnowledgeBase
from knowledge.rewrite import rewrite_query
from knowledge.store import demo_policies_dir, import_path, open_kb
from knowledge.versioning import Expect

__all__ = [
    "EditConflictError",
    "Expect",
    "KbError",
    "KnowledgeBase",
    "PolicyFormatError",
    "UnknownPolicyError",
    "VersionConflictError",
    "demo_policies_dir",
    "import_path",
    "open_kb",
    "rewrite_query",
]
