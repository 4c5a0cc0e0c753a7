"""Import Markdown policy files (one file or every *.md below a folder), one document at a time.

Each document is its own transaction, so an interrupted import leaves every document either at
its old version or at its new one; a bad file is reported and never blocks the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from knowledge.documents import PolicyDoc, decode_bytes, parse_markdown
from knowledge.errors import KbError


class _Publisher(Protocol):
    max_doc_bytes: int

    def publish(self, doc: PolicyDoc, editor: str) -> dict[str, Any]: ...


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


def import_path(kb: _Publisher, path: Path | str, editor: str) -> dict[str, Any]:
    """Import policies; returns {"imported", "updated", "unchanged", "rejected": [{file, error}]}."""
    summary: dict[str, Any] = {"imported": 0, "updated": 0, "unchanged": 0, "rejected": [], "policies": []}
    seen: dict[str, str] = {}
    for file in policy_files(Path(path)):
        try:
            doc = read_policy(file, kb.max_doc_bytes)
            if doc.id in seen:
                raise KbError(f"duplicate id {doc.id!r} (also in {seen[doc.id]}); not imported")
            seen[doc.id] = str(file)
            result = kb.publish(doc, editor)
        except KbError as exc:
            summary["rejected"].append({"file": str(file), "error": str(exc)})
            continue
        except Exception as exc:  # noqa: BLE001 - a storage failure on one document must not stop the rest
            summary["rejected"].append({"file": str(file), "error": f"{type(exc).__name__}: {exc}"})
            continue
        summary[result["status"]] += 1
        summary["policies"].append(
            {"policy_id": result["policy_id"], "version": result["version"], "status": result["status"]}
        )
    return summary
