"""Name by name, erlen offers what Flask 3.1.3 offers (Flask itself is the list).

The real Flask is imported here only as the oracle; these tests never call install_as_flask().
"""

from __future__ import annotations

import importlib
import inspect
import pathlib
import types
import typing
import warnings

import pytest

import erlen
from erlen._alias import FLASK_MODULES

flask = pytest.importorskip("flask")


#: Modules whose public objects are instances: proxies, signals, click commands.
INSTANCE_MODULES = ("flask", "flask.globals", "flask.signals", "flask.cli")


def public_names(module: types.ModuleType) -> set[str]:
    """What a Flask module itself defines or deliberately exports."""
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType) or name == "annotations":
            continue
        if inspect.isclass(value) or inspect.isfunction(value):
            if value.__module__ == module.__name__ or module.__name__ == "flask":
                names.add(name)
        elif module.__name__ in INSTANCE_MODULES and not isinstance(value, typing.TypeVar):
            proxy = type(value).__name__ == "LocalProxy"  # asking a proxy anything needs a context
            if not proxy or module.__name__ in ("flask", "flask.globals"):
                names.add(name)
    return names


def test_flask_version_is_the_oracle() -> None:
    import importlib.metadata

    assert importlib.metadata.version("flask") == "3.1.3"


def test_every_top_level_name() -> None:
    missing = sorted(name for name in public_names(flask) if not hasattr(erlen, name))
    assert missing == []


def test_flask_and_erlen_are_one_class() -> None:
    assert erlen.Flask is erlen.Erlen
    assert erlen.Erlen.__module__ == "erlen_core.app"


@pytest.mark.parametrize("name", FLASK_MODULES)
def test_every_module_and_its_names(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = importlib.import_module(f"flask.{name}")
    ours = importlib.import_module(f"erlen.{name}")
    missing = sorted(n for n in public_names(theirs) if not hasattr(ours, n))
    assert missing == []


def test_flask_modules_list_is_complete() -> None:
    root = pathlib.Path(flask.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        if parts and not any(part.startswith("_") for part in parts):
            found.add(".".join(parts))
    found |= {"sansio"}  # a namespace package in Flask: no __init__.py to find
    assert found == set(FLASK_MODULES)
