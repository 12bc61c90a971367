"""Flask-Migrate, unchanged, on erlen: ``db init / migrate / upgrade / downgrade`` on a real
SQLite file, run two ways: the ``erlen`` command on a module that calls ``install_as_flask()``,
and ``python -m flask`` on an unchanged Flask module with ``ERLEN_AS_FLASK=1`` set. Both find the
``db`` group through Flask-Migrate's ``flask.commands`` entry point.
"""

from __future__ import annotations

import os
import pathlib
import sqlite3
import subprocess
import sys

import flask
import pytest

import erlen
from harness import APPS

pytestmark = pytest.mark.extension("Flask-Migrate")

#: How each way is started, and the environment it adds.
COMMANDS = {
    "erlen": ([str(pathlib.Path(sys.executable).parent / "erlen"), "--app", "migrate_app"], {}),
    "python -m flask": (
        [sys.executable, "-m", "flask", "--app", "notes_app"],
        {"ERLEN_AS_FLASK": "1"},
    ),
}


@pytest.fixture(params=sorted(COMMANDS))
def command(request: pytest.FixtureRequest) -> tuple[list[str], dict[str, str]]:
    return COMMANDS[request.param]


def run_db(
    command: tuple[list[str], dict[str, str]], project: pathlib.Path, *args: str, v2: bool = False
) -> str:
    argv, extra = command
    env = {**os.environ, **extra, "NOTES_DB": str(project / "notes.db"), "PYTHONPATH": str(APPS)}
    if v2:
        env["NOTES_V2"] = "1"
    done = subprocess.run(
        [*argv, "db", *args], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def columns(project: pathlib.Path, table: str) -> list[str]:
    with sqlite3.connect(project / "notes.db") as db:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def test_the_app_is_an_erlen_app(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    monkeypatch.setenv("NOTES_DB", str(tmp_path / "notes.db"))
    import migrate_app

    assert flask.Flask is erlen.Erlen
    assert isinstance(migrate_app.app, erlen.Erlen)
    assert migrate_app.app.extensions["migrate"].db is migrate_app.db


def test_db_init_migrate_upgrade_downgrade(
    command: tuple[list[str], dict[str, str]], tmp_path: pathlib.Path
) -> None:
    run_db(command, tmp_path, "init")
    assert (tmp_path / "migrations" / "env.py").is_file()

    out = run_db(command, tmp_path, "migrate", "-m", "notes table")
    assert "Detected added table 'note'" in out
    run_db(command, tmp_path, "upgrade")
    assert columns(tmp_path, "note") == ["id", "text"]

    out = run_db(command, tmp_path, "migrate", "-m", "pin notes", v2=True)
    assert "Detected added column 'note.pinned'" in out
    run_db(command, tmp_path, "upgrade", v2=True)
    assert columns(tmp_path, "note") == ["id", "text", "pinned"]
    assert len(list((tmp_path / "migrations" / "versions").glob("*.py"))) == 2

    run_db(command, tmp_path, "downgrade", v2=True)
    assert columns(tmp_path, "note") == ["id", "text"]


def test_options_of_the_db_group_reach_its_subcommands(
    command: tuple[list[str], dict[str, str]], tmp_path: pathlib.Path
) -> None:
    # -d and -x are stored on g by the group and read by the subcommands.
    run_db(command, tmp_path, "init", "-d", "elsewhere")
    run_db(command, tmp_path, "migrate", "-d", "elsewhere", "-x", "unused=1", "-m", "notes")
    run_db(command, tmp_path, "upgrade", "-d", "elsewhere")
    assert columns(tmp_path, "note") == ["id", "text"]
