"""erlen's pytest plugin in a user's project: harmless however erlen is imported, and stepping
aside for pytest-flask.

Each case makes a fresh virtual environment with erlen's built wheels (``ERLEN_DIST``), writes a
small Flask project whose pytest config turns every warning into an error, and runs its tests
with pytest in a subprocess, as the project's developer would.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import textwrap

import pytest

DIST = pathlib.Path(os.environ.get("ERLEN_DIST", pathlib.Path(__file__).parents[1] / "dist"))

PYPROJECT = """\
[tool.pytest.ini_options]
addopts = ["--strict-markers", "--strict-config", "-p", "no:cacheprovider"]
filterwarnings = ["error"]
"""

APP = """\
from flask import Flask, session


def create_app():
    app = Flask(__name__)
    app.secret_key = "test"

    @app.get("/")
    def index():
        session["seen"] = True
        return "hello"

    return app
"""

CONFTEST = """\
import pytest

{early_import}
from app import create_app


# Session-scoped, as pytest-flask's live_server (session-scoped by default) needs.
@pytest.fixture(scope="session")
def app():
    return create_app()
"""

#: Runs on erlen's plugin: its fixtures, and erlen answering for flask.
TEST_ERLEN = """\
import flask

import erlen


def test_flask_is_erlen():
    assert flask.Flask is erlen.Erlen


def test_client(client):
    assert client.get("/").data == b"hello"


def test_app_ctx(app_ctx):
    assert flask.current_app.name == "app"


def test_served_by_erlens_plugin(request):
    assert request.config.pluginmanager.has_plugin("erlen.plugin")
"""

#: Runs on pytest-flask's plugin, with erlen as flask.
TEST_PYTEST_FLASK = """\
import urllib.request

import flask

import erlen


def test_flask_is_erlen():
    assert flask.Flask is erlen.Erlen


def test_client(client):
    assert client.get("/").data == b"hello"


def test_live_server(live_server):
    with urllib.request.urlopen(live_server.url("/")) as answer:
        assert answer.read() == b"hello"


def test_served_by_pytest_flask(request):
    assert request.config.pluginmanager.has_plugin("flask")
    assert not request.config.pluginmanager.has_plugin("erlen.plugin")
"""


def _venv(root: pathlib.Path, *requirements: str) -> pathlib.Path:
    wheels = sorted(DIST.glob("*.whl"))
    if not wheels:
        pytest.fail(f"no erlen wheels in {DIST}: run this suite through `nox -s integration`")
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is not installed in this environment (tests-integration/requirements.txt)")
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(root)], check=True)
    python = root / "bin" / "python"
    install = [uv, "pip", "install", "--quiet", "--python", str(python)]
    subprocess.run([*install, *map(str, wheels), "pytest", *requirements], check=True)
    return python


@pytest.fixture(scope="module")
def erlen_venv(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return _venv(tmp_path_factory.mktemp("erlen-venv"))


@pytest.fixture(scope="module")
def pytest_flask_venv(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return _venv(tmp_path_factory.mktemp("pytest-flask-venv"), "pytest-flask==1.3.0")


def _project(root: pathlib.Path, tests: str, early_import: str = "") -> pathlib.Path:
    files = {
        "pyproject.toml": PYPROJECT,
        "app.py": APP,
        "conftest.py": CONFTEST.format(early_import=early_import),
        "test_app.py": tests,
        "early_plugin.py": "import erlen\n\nerlen.install_as_flask()\n",
    }
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text), "utf-8")
    return root


def _pytest(python: pathlib.Path, project: pathlib.Path, *args: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "ERLEN_"))}
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", *args],
        cwd=project,
        env={**environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.mark.parametrize(
    ("early_import", "args", "env"),
    [
        pytest.param("", (), {"ERLEN_AS_FLASK": "1"}, id="pth-hook"),
        pytest.param("import erlen\n\nerlen.install_as_flask()\n", (), {}, id="conftest"),
        pytest.param("", ("-p", "early_plugin"), {}, id="plugin"),
    ],
)
def test_erlen_plugin_never_stops_a_strict_run(
    erlen_venv: pathlib.Path,
    tmp_path: pathlib.Path,
    early_import: str,
    args: tuple[str, ...],
    env: dict[str, str],
) -> None:
    project = _project(tmp_path, TEST_ERLEN, early_import)
    output = _pytest(erlen_venv, project, *args, **env)
    assert "4 passed" in output
    assert "PytestAssertRewriteWarning" not in output


def test_pytest_flask_beside_erlen(pytest_flask_venv: pathlib.Path, tmp_path: pathlib.Path) -> None:
    project = _project(tmp_path, TEST_PYTEST_FLASK)
    output = _pytest(pytest_flask_venv, project, ERLEN_AS_FLASK="1")
    assert "4 passed" in output


def test_no_flask_plugin_hands_the_fixtures_back_to_erlen(
    pytest_flask_venv: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    project = _project(tmp_path, TEST_ERLEN)
    output = _pytest(pytest_flask_venv, project, "-p", "no:flask", ERLEN_AS_FLASK="1")
    assert "4 passed" in output
