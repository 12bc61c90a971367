"""The installed command, run for real in a fresh interpreter."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys


def erlen_command() -> list[str]:
    script = shutil.which("erlen", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "erlen_cli"]


def test_erlen_app_routes(apps_dir: pathlib.Path) -> None:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "ERLEN_"))
    }
    # No .env of an enclosing folder may change what this run sees.
    env["FLASK_SKIP_DOTENV"] = "1"
    done = subprocess.run(
        [*erlen_command(), "--app", "example", "routes"],
        cwd=apps_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Endpoint  Methods    Rule",
        "--------  ---------  -----------------------",
        "index     GET        /",
        "static    GET        /static/<path:filename>",
        "user      GET, POST  /users/<int:id>",
    ]
    assert done.stderr == ""


def test_python_m_erlen_cli_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "erlen_cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("Erlen ")
