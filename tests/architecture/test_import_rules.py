"""The package dependency rules of ARCHITECTURE.md, checked on every module's imports (ast, not a runtime trace).

storage <- knowledge <- graph <- app, with finetune and evals on top:
- storage (the relational database layer) imports none of knowledge, graph, app, finetune, evals;
- knowledge imports none of graph, app, finetune, evals;
- graph imports none of app, finetune, evals;
- finetune imports none of app, evals;
- app imports finetune and evals only from its command line (app/cli), never from the service.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN: dict[str, set[str]] = {
    "storage": {"knowledge", "graph", "app", "finetune", "evals"},
    "knowledge": {"graph", "app", "finetune", "evals"},
    "graph": {"app", "finetune", "evals"},
    "finetune": {"app", "evals"},
    "app": {"finetune", "evals"},
}
ALLOWED_EXCEPTIONS = {"app/cli"}  # the CLI runs evaluations and exports training data


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """Top-level package of every absolute import in a module, with its line."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def violations(package: str) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if any(relative.startswith(prefix + "/") for prefix in ALLOWED_EXCEPTIONS):
            continue
        for imported, line in imported_packages(path):
            if imported in FORBIDDEN[package]:
                out.append(f"{relative}:{line} imports {imported}")
    return sorted(out)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_point_one_way(package: str) -> None:
    assert violations(package) == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom app.settings import Settings\n\ndef f():\n    import evals.runner\n")
    assert imported_packages(module) == {("os", 1), ("app", 2), ("evals", 5)}
