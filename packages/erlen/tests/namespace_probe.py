"""Describe Flask's module namespaces, or check erlen's against such a description.

    python namespace_probe.py describe        # real Flask: prints JSON
    python namespace_probe.py check < JSON    # erlen after install_as_flask(): prints problems

Run in subprocesses by test_names.py, so the two Flasks never meet in one interpreter. A
description maps every module of Flask (``flask``, ``flask.app`` …) to its public names, each
with its kind and, for an object Flask only imports from elsewhere (``werkzeug.routing.Rule``,
``typing``), where that object lives, so the check can demand the very same object.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pathlib
import sys
import types
import typing as t
import warnings

#: Values that are equal wherever they come from: where they live says nothing.
PLAIN = (str, bytes, int, float, bool, type(None), tuple, frozenset)


def kind(value: object) -> str:
    if isinstance(value, types.ModuleType):
        return "module"
    if inspect.isclass(value):
        return "class"
    if inspect.isroutine(value):
        return "function"
    return "other"


def is_flask(name: str) -> bool:
    return name == "flask" or name.startswith("flask.")


def flask_modules() -> list[str]:
    """Every public module of the Flask found by import, packages without ``__init__`` too."""
    import flask

    root = pathlib.Path(flask.__file__).parent
    names = {"flask"}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        for depth in range(1, len(parts) + 1):
            if not any(part.startswith("_") for part in parts[:depth]):
                names.add(".".join(("flask", *parts[:depth])))
    return sorted(names)


def home(value: object, homes: dict[int, str]) -> str | None:
    """``module:attribute`` where a value Flask imports from outside lives, else None."""
    if isinstance(value, types.ModuleType):
        return None if is_flask(value.__name__) else f"{value.__name__}:"
    if isinstance(value, PLAIN):
        return None
    owner = getattr(value, "__module__", None)
    if isinstance(owner, str) and is_flask(owner):
        return None
    return homes.get(id(value))


def outside_homes() -> dict[int, str]:
    """``id -> module:attribute`` of every public value of every loaded non-Flask module."""
    homes: dict[int, str] = {}
    for module_name in sorted(sys.modules, reverse=True):
        module = sys.modules[module_name]
        if is_flask(module_name) or not isinstance(module, types.ModuleType):
            continue
        for name, value in list(vars(module).items()):
            if not name.startswith("_"):
                homes[id(value)] = f"{module_name}:{name}"
    return homes


def describe() -> dict[str, dict[str, list[str | None]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        modules = {name: importlib.import_module(name) for name in flask_modules()}
    homes = outside_homes()
    return {
        module_name: {
            name: [kind(value), home(value, homes)]
            for name in dir(module)
            if not name.startswith("_")
            for value in [getattr(module, name)]
        }
        for module_name, module in modules.items()
    }


def resolve(where: str) -> object:
    module_name, _, attribute = where.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


def check(description: dict[str, dict[str, list[str | None]]]) -> dict[str, list[str]]:
    """Per Flask module, what erlen's face lacks or has differently."""
    import erlen

    erlen.install_as_flask()
    problems: dict[str, list[str]] = {}
    for module_name, names in description.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            problems[module_name] = [f"cannot import: {exc}"]
            continue
        found = []
        for name, (their_kind, where) in sorted(names.items()):
            if not hasattr(module, name):
                found.append(f"{name}: missing ({their_kind})")
                continue
            value: t.Any = getattr(module, name)
            if kind(value) != their_kind:
                found.append(f"{name}: a {kind(value)}, Flask's is a {their_kind}")
            elif where is not None and value is not resolve(where):
                found.append(f"{name}: not {where.rstrip(':')}, as in Flask")
        problems[module_name] = found
    return problems


if __name__ == "__main__":
    if sys.argv[1:] == ["describe"]:
        print(json.dumps(describe()))
    else:
        print(json.dumps(check(json.load(sys.stdin))))
