"""Policy knowledge base: versioned Markdown policies, hybrid (dense + lexical) search, audit.

Public API used by the graph and the app:
    open_kb(settings) -> KnowledgeBase   (cached per data dir and process)
    KnowledgeBase.search / publish / retire / rollback / history / get / list / versions_of / audit
    rewrite_query(text, history, slots) -> str
"""

from __future__ import annotations

from knowledge.errors import KbError, PolicyFormatError, UnknownPolicyError, VersionConflictError
from knowledge.kb import KnowledgeBase
from knowledge.rewrite import rewrite_query
from knowledge.store import demo_policies_dir, import_path, open_kb

__all__ = [
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
