from __future__ import annotations

import collections.abc as cabc
import pathlib
import sys

import pytest
from click.testing import CliRunner

APPS = pathlib.Path(__file__).parent / "apps"
# The example app modules import the shared test double from here.
sys.path.insert(0, str(APPS))

#: Variables the command reads or writes, and those the tests' dotenv files set.
ENV_VARS = (
    "ERLEN_APP",
    "FLASK_APP",
    "FLASK_DEBUG",
    "FLASK_ENV_FILE",
    "FLASK_RUN_FROM_CLI",
    "FLASK_RUN_PORT",
    "FLASK_SKIP_DOTENV",
    "PYTHONSTARTUP",
    "WERKZEUG_RUN_MAIN",
    "SHOP_NAME",
    "SHOP_CURRENCY",
    "SHOP_TAGLINE",
    "SHOP_SECRET",
    "SHOP_GREETING",
    "SHOP_EMPTY",
)


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every test without ENV_VARS and remove whatever the test sets of them."""
    for name in ENV_VARS:
        # setenv first so that monkeypatch records the original state, absent or not.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _restore_path_and_modules() -> cabc.Iterator[None]:
    """Undo what app discovery does to sys.path and sys.modules."""
    path = sys.path[:]
    modules = set(sys.modules)
    yield
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        del sys.modules[name]


@pytest.fixture
def apps_dir() -> pathlib.Path:
    return APPS


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_tmp(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path
