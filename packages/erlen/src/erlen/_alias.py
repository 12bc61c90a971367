"""Make ``import flask`` resolve to erlen (see :func:`install_as_flask`)."""

from __future__ import annotations

import importlib
import sys

import erlen_core.app

#: Every module of Flask's public tree; each has an erlen face of the same name.
FLASK_MODULES = (
    "app",
    "blueprints",
    "cli",
    "config",
    "ctx",
    "debughelpers",
    "globals",
    "helpers",
    "json",
    "json.provider",
    "json.tag",
    "logging",
    "sansio",
    "sansio.app",
    "sansio.blueprints",
    "sansio.scaffold",
    "sessions",
    "signals",
    "templating",
    "testing",
    "typing",
    "views",
    "wrappers",
)


def install_as_flask() -> None:
    """Make ``import flask`` and ``import flask.<module>`` give erlen's modules.

    Call it once, before anything imports Flask — at the top of an entry point, a ``conftest.py``
    or a ``sitecustomize`` — and Flask apps, extensions and their tests run on erlen unchanged.
    Calling it again is harmless.

    :raises RuntimeError: when the real Flask was imported first; mixing the two would give two
        sets of context variables and two ``Flask`` classes.
    """
    umbrella = sys.modules["erlen"]
    existing = sys.modules.get("flask")
    if existing is umbrella:
        return
    if existing is not None:
        where = getattr(existing, "__file__", None) or "an unknown location"
        raise RuntimeError(
            f"'flask' was already imported from {where} before erlen.install_as_flask()."
            " Call erlen.install_as_flask() before anything imports flask, for example at the"
            " top of your entry point or conftest.py."
        )
    faces = {name: importlib.import_module(f"erlen.{name}") for name in FLASK_MODULES}
    erlen_core.app.warning_module = "flask.app"
    sys.modules["flask"] = umbrella
    for name, module in faces.items():
        sys.modules[f"flask.{name}"] = module
