"""warehouse/ reads sources only through connectors/contract.py (its docstring: the one seam),
so a new source never needs a change in warehouse/ and no source's code is loaded with it."""

from __future__ import annotations

import ast
from pathlib import Path

WAREHOUSE = Path(__file__).resolve().parents[2] / "warehouse"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_warehouse_imports_no_source_package():
    files = sorted(WAREHOUSE.rglob("*.py"))
    assert len(files) > 10
    crossing = {
        (str(path.relative_to(WAREHOUSE.parent)), module)
        for path in files for module in imported_modules(path)
        if module.split(".")[0] in {"connectors", "pipelines", "simulator"}
        and module != "connectors.contract"
    }
    assert crossing == set()
