"""Each package imports only the erlen packages its metadata declares, and only their public
names: at run time and under ``TYPE_CHECKING`` alike, so DESIGN.md's arrows hold."""

from __future__ import annotations

import ast
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import workspace  # noqa: E402

PACKAGES = workspace.packages(ROOT)


def imported(package: workspace.Package) -> set[tuple[str, str, str]]:
    """``(file, module, name)`` for every import of a sibling package in ``package``'s source."""
    found = set()
    for path in (package.path / "src").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    found.add((path.name, node.module, alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    found.add((path.name, alias.name, ""))
    own = package.import_name
    return {
        (file, module, name)
        for file, module, name in found
        if module.split(".")[0].startswith("erlen") and module.split(".")[0] != own
    }


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_imports_only_declared_siblings(package: workspace.Package) -> None:
    declared = {name.replace("-", "_") for name in package.siblings}
    undeclared = {
        (file, module)
        for file, module, _ in imported(package)
        if module.split(".")[0] not in declared
    }
    assert not undeclared, f"{package.name} imports siblings it does not declare: {undeclared}"


@pytest.mark.parametrize(
    "package", [p for p in PACKAGES if p.name != "erlen"], ids=lambda p: p.name
)
def test_imports_only_public_names_of_siblings(package: workspace.Package) -> None:
    private = {
        (file, f"{module}.{name}")
        for file, module, name in imported(package)
        if name.startswith("_") and not name.startswith("__")
    }
    assert not private, f"{package.name} uses private names of siblings: {private}"
