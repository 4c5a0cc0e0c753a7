"""Import Markdown policy files (one file or every *.md below a folder), one document at a time.

Valid documents are stored in batches, each batch in one transaction, so an interrupted import
leaves every document either at its old version or at its new one; a bad file is reported and
never blocks the others.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from knowledge.documents import PolicyDoc, decode_bytes, parse_markdown
from knowledge.errors import KbError

IMPORT_BATCH = 32


class _Publisher(Protocol):
    max_doc_bytes: int

    def publish_many(self, docs: list[PolicyDoc], editor: str) -> list[Any]: ...


def policy_files(path: Path) -> list[Path]:
    """The files an import of `path` reads (a folder: every *.md below it, sorted)."""
    if not path.exists():
        raise KbError(f"no such file or folder: {path}")
    if path.is_dir():
        return sorted(p for p in path.rglob("*.md") if p.is_file())
    return [path]


def read_policy(path: Path, max_bytes: int) -> PolicyDoc:
    """Read and validate one file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KbError(f"cannot read file: {exc.strerror or exc}") from None
    return parse_markdown(decode_bytes(raw, max_bytes), max_bytes)


def import_path(
    kb: _Publisher,
    path: Path | str,
    editor: str,
    batch: int = IMPORT_BATCH,
    before_store: Callable[[list[PolicyDoc]], None] | None = None,
) -> dict[str, Any]:
    """Import policies; returns {"imported", "updated", "unchanged", "rejected": [{file, error}], "policies"}.

    Every file is read and validated first; `before_store(valid documents)` then sees what will be
    stored. Valid documents are stored `batch` at a time, each batch in one transaction.
    """
    summary: dict[str, Any] = {"imported": 0, "updated": 0, "unchanged": 0, "rejected": [], "policies": []}
    seen: dict[str, str] = {}
    valid: list[tuple[Path, PolicyDoc]] = []
    for file in policy_files(Path(path)):
        try:
            doc = read_policy(file, kb.max_doc_bytes)
            if doc.id in seen:
                raise KbError(f"duplicate id {doc.id!r} (also in {seen[doc.id]}); not imported")
        except KbError as exc:
            summary["rejected"].append({"file": str(file), "error": str(exc)})
            continue
        seen[doc.id] = str(file)
        valid.append((file, doc))
    if before_store is not None:
        before_store([doc for _, doc in valid])
    for start in range(0, len(valid), max(1, batch)):
        _flush(kb, valid[start:start + max(1, batch)], editor, summary)
    return summary


def _flush(
    kb: _Publisher, pending: list[tuple[Path, PolicyDoc]], editor: str, summary: dict[str, Any]
) -> None:
    if not pending:
        return
    try:
        results: list[Any] = kb.publish_many([doc for _, doc in pending], editor)
    except KbError as exc:
        results = [exc] * len(pending)
    except Exception as exc:  # noqa: BLE001 - a storage failure rejects this batch, not the import
        results = [KbError(f"{type(exc).__name__}: {exc}")] * len(pending)
    for (file, _), result in zip(pending, results, strict=False):
        if isinstance(result, Exception):
            summary["rejected"].append({"file": str(file), "error": str(result)})
        else:
            summary[result["status"]] += 1
            summary["policies"].append(
                {"policy_id": result["policy_id"], "version": result["version"], "status": result["status"]}
            )
