"""Flask-Migrate, unchanged, on erlen: ``erlen db init / migrate / upgrade`` on a real SQLite file.

The ``erlen`` command finds the ``db`` group through Flask-Migrate's ``flask.commands`` entry
point; the app module calls ``install_as_flask()`` itself, as a project moving to erlen would.
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

ERLEN = str(pathlib.Path(sys.executable).parent / "erlen")
#: ``erlen db`` stores ``-d`` and ``-x`` on ``g`` in its group callback and the subcommands read
#: them back; erlen-cli's ``with_appcontext`` pushes a second app context (with an empty ``g``)
#: for the subcommand, because erlen's app has no ``app_context_active()`` for it to ask.


def erlen_db(project: pathlib.Path, *args: str, v2: bool = False) -> str:
    env = {**os.environ, "NOTES_DB": str(project / "notes.db"), "PYTHONPATH": str(APPS)}
    if v2:
        env["NOTES_V2"] = "1"
    done = subprocess.run(
        [ERLEN, "--app", "migrate_app", "db", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
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


def test_db_init_as_the_docs_show_it(tmp_path: pathlib.Path) -> None:
    erlen_db(tmp_path, "init")
    assert (tmp_path / "migrations" / "env.py").is_file()


def test_init_migrate_upgrade_downgrade(tmp_path: pathlib.Path) -> None:
    # Naming the folder (-d) and an -x argument on each subcommand keeps them off ``g``; see
    # G_LOST for why the plain forms do not work yet.
    folder = ("-d", "migrations")
    x_arg = ("-x", "unused=1")
    erlen_db(tmp_path, "init", *folder)
    assert (tmp_path / "migrations" / "alembic.ini").is_file()

    out = erlen_db(tmp_path, "migrate", *folder, *x_arg, "-m", "notes table")
    assert "Detected added table 'note'" in out
    erlen_db(tmp_path, "upgrade", *folder, *x_arg)
    assert columns(tmp_path, "note") == ["id", "text"]

    out = erlen_db(tmp_path, "migrate", *folder, *x_arg, "-m", "pin notes", v2=True)
    assert "Detected added column 'note.pinned'" in out
    erlen_db(tmp_path, "upgrade", *folder, *x_arg, v2=True)
    assert columns(tmp_path, "note") == ["id", "text", "pinned"]
    assert len(list((tmp_path / "migrations" / "versions").glob("*.py"))) == 2

    erlen_db(tmp_path, "downgrade", *folder, *x_arg, v2=True)
    assert columns(tmp_path, "note") == ["id", "text"]
