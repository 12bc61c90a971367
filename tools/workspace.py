"""The packages of the erlen workspace and how they pin each other.

Read by ``noxfile.py`` and the scripts beside this file. A package is a folder of ``packages/``
with a ``pyproject.toml``; its siblings are the ``erlen*`` distributions it pins with ``==``.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
import sys
from collections.abc import Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

#: A requirement on a sibling: its name, the operator and the version it names.
SIBLING_PIN = re.compile(r"^(?P<name>erlen(?:-[a-z]+)*)\s*(?P<op>[=<>!~]=?)\s*(?P<version>[^;\s]+)")


@dataclasses.dataclass(frozen=True)
class Package:
    """One distribution of the workspace."""

    path: pathlib.Path
    name: str
    version: str
    #: Sibling requirements as written: ``(name, operator, version)``.
    pins: tuple[tuple[str, str, str], ...]

    @property
    def import_name(self) -> str:
        return self.name.replace("-", "_")

    @property
    def pyproject(self) -> pathlib.Path:
        return self.path / "pyproject.toml"

    @property
    def changelog(self) -> pathlib.Path:
        return self.path / "CHANGES.md"

    @property
    def siblings(self) -> tuple[str, ...]:
        return tuple(name for name, _, _ in self.pins)


def load(path: pathlib.Path) -> Package:
    """Read one package folder."""
    data = tomllib.loads((path / "pyproject.toml").read_text("utf-8"))
    project = data["project"]
    pins = []
    for requirement in project.get("dependencies", []):
        match = SIBLING_PIN.match(requirement)
        if match:
            pins.append((match["name"], match["op"], match["version"]))
    return Package(path, project["name"], project["version"], tuple(pins))


def packages(root: pathlib.Path) -> list[Package]:
    """Every package under ``root/packages``, each after the siblings it needs."""
    found = {p.name: p for p in map(load, sorted(root.glob("packages/*/"))) if p.pyproject.exists()}
    ordered: list[Package] = []

    def visit(package: Package) -> None:
        if package in ordered:
            return
        for sibling in package.siblings:
            if sibling in found:
                visit(found[sibling])
        ordered.append(package)

    for package in found.values():
        visit(package)
    return ordered


def by_name(all_packages: Iterable[Package], name: str) -> Package:
    for package in all_packages:
        if package.name == name:
            return package
    raise LookupError(f"no package named {name!r} under packages/")


def closure(all_packages: list[Package], names: Iterable[str]) -> list[Package]:
    """The named packages and every sibling they need, transitively, in dependency order."""
    needed: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(by_name(all_packages, name).siblings)
    return [p for p in all_packages if p.name in needed]


#: A requirement on a third-party distribution with a lower bound: its name and that version.
LOWER_BOUND = re.compile(
    r"^(?P<name>[A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?\s*>=\s*(?P<version>[^,;\s]+)"
)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def lowest_requirements(packages: Iterable[Package]) -> dict[str, str]:
    """``name -> version``: the lowest release of each third-party runtime dependency that
    every package's metadata allows (the highest of their ``>=`` bounds)."""
    lowest: dict[str, str] = {}
    for package in packages:
        project = tomllib.loads(package.pyproject.read_text("utf-8"))["project"]
        for requirement in project.get("dependencies", []):
            match = LOWER_BOUND.match(requirement)
            if match is None or match["name"].startswith("erlen"):
                continue
            name = match["name"].lower()
            version = match["version"]
            if name not in lowest or _version_key(version) > _version_key(lowest[name]):
                lowest[name] = version
    return lowest
