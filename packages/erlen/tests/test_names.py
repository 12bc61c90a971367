"""Module by module and name by name, erlen offers what Flask 3.1.3 offers (Flask is the list).

Flask's namespaces are read from the real Flask (a test dependency) in one subprocess that never
calls install_as_flask(); a second subprocess calls it and checks every public name on the same
``flask.<module>``: present, the same kind of object, and for what Flask only imports from
elsewhere (``werkzeug.routing.Rule`` on ``flask.app``) the very same object. See
``namespace_probe.py``.
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib
import subprocess
import sys

import pytest

import erlen
from erlen._alias import FLASK_MODULES

pytest.importorskip("flask")

PROBE = pathlib.Path(__file__).with_name("namespace_probe.py")

Description = dict[str, dict[str, list[str | None]]]


def probe(*args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, str(PROBE), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def flask_namespaces() -> Description:
    description: Description = json.loads(probe("describe"))
    return description


@pytest.fixture(scope="module")
def problems(flask_namespaces: Description) -> dict[str, list[str]]:
    found: dict[str, list[str]] = json.loads(probe("check", stdin=json.dumps(flask_namespaces)))
    return found


def test_flask_version_is_the_oracle() -> None:
    assert importlib.metadata.version("flask") == "3.1.3"


def test_flask_and_erlen_are_one_class() -> None:
    assert erlen.Flask is erlen.Erlen
    assert erlen.Erlen.__module__ == "erlen_core.app"


def test_every_flask_module_has_a_face(flask_namespaces: Description) -> None:
    assert sorted(flask_namespaces) == sorted(["flask", *(f"flask.{m}" for m in FLASK_MODULES)])


def test_the_description_sees_what_flask_imports(flask_namespaces: Description) -> None:
    # The check below is only as strong as this: third-party objects carry their home.
    assert flask_namespaces["flask.app"]["Rule"] == ["class", "werkzeug.routing:Rule"]
    assert flask_namespaces["flask.app"]["t"] == ["module", "typing:"]
    assert flask_namespaces["flask.app"]["Flask"] == ["class", None]
    assert flask_namespaces["flask.globals"]["request"] == ["other", None]


@pytest.mark.parametrize("module", ["flask", *(f"flask.{m}" for m in FLASK_MODULES)])
def test_every_public_name_of_the_module(module: str, problems: dict[str, list[str]]) -> None:
    assert problems[module] == []


def test_what_flask_takes_from_its_own_tree_is_erlens() -> None:
    # flask.wrappers.json is the flask.json module, not the standard library's json; and the
    # sans-I/O app's Response is Werkzeug's base, the WSGI app's erlen's own.
    import werkzeug.sansio.response

    import erlen.json
    import erlen.sansio.app
    import erlen.wrappers

    assert erlen.wrappers.json is erlen.json
    assert erlen.sansio.app.Response is werkzeug.sansio.response.Response
    assert erlen.wrappers.Response is erlen.Response is not werkzeug.sansio.response.Response
