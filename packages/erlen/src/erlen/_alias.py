"""Make ``import flask`` resolve to erlen (see :func:`install_as_flask`)."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.metadata
import os
import pathlib
import sys
import typing as t

import erlen_core.app

#: The Flask release whose API erlen provides, and the version ``importlib.metadata`` reports
#: for ``flask`` after :func:`install_as_flask`.
FLASK_API_VERSION = "3.1.3"

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
    sys.meta_path.insert(0, FlaskMetadataFinder())
    sys.modules["flask"] = umbrella
    for name, module in faces.items():
        sys.modules[f"flask.{name}"] = module


#: What ``find_distributions`` is asked without a context: every distribution.
_EVERY_DISTRIBUTION = importlib.metadata.DistributionFinder.Context()


class FlaskDistribution(importlib.metadata.Distribution):
    """The metadata ``importlib.metadata`` reports for ``flask`` once it is erlen: name Flask,
    version :data:`FLASK_API_VERSION`, so extensions that check Flask's version see the API
    they get. It lists no files; paths are located beside erlen's package.
    """

    def read_text(self, filename: str) -> str | None:
        if filename != "METADATA":
            return None
        erlen_version = importlib.metadata.version("erlen")
        return (
            "Metadata-Version: 2.1\n"
            "Name: Flask\n"
            f"Version: {FLASK_API_VERSION}\n"
            f"Summary: The Flask API, provided by erlen {erlen_version}\n"
        )

    def locate_file(self, path: str | os.PathLike[str]) -> pathlib.Path:
        return pathlib.Path(__file__).parent.parent / path


class FlaskMetadataFinder(importlib.abc.MetaPathFinder):
    """Answers ``importlib.metadata`` for the ``flask`` distribution with
    :class:`FlaskDistribution`, ahead of a real Flask that may be installed but is never
    imported; imports it leaves to the other finders.
    """

    def find_spec(self, fullname: str, path: t.Any, target: t.Any = None) -> None:
        return None

    def find_distributions(
        self,
        context: importlib.metadata.DistributionFinder.Context = _EVERY_DISTRIBUTION,
    ) -> t.Iterator[importlib.metadata.Distribution]:
        name = context.name
        if name is not None and name.lower().replace("_", "-") == "flask":
            yield FlaskDistribution()
