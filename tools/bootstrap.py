"""Run nox on any Python 3.10 or newer, a system Python that refuses pip installs included.

    python3 tools/bootstrap.py [nox arguments]     e.g.  python3 tools/bootstrap.py -s serve

A system Python marked as externally managed (PEP 668, as on Debian and Ubuntu) refuses
``pip install nox``. This script needs nothing installed: its first run makes a private virtual
environment, ``.bootstrap/`` in the checkout (ignored by git), with nox and uv in it; every run
then hands its arguments to that nox. Delete the folder to start afresh.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import venv

ROOT = pathlib.Path(__file__).resolve().parents[1]
VENV = ROOT / ".bootstrap"
#: What the private environment holds: nox, and uv, which nox uses to make its venvs.
REQUIREMENTS = ("nox>=2025.2.9", "uv")
#: Written once the environment is complete, so that an interrupted first run starts over.
COMPLETE = VENV / ".complete"


def _python() -> pathlib.Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def _create() -> None:
    print(f"bootstrap: making {VENV.relative_to(ROOT)}/ with {' and '.join(REQUIREMENTS)}")
    try:
        venv.create(VENV, with_pip=True, clear=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(
            f"bootstrap: could not make a virtual environment ({error}).\n"
            "On Debian or Ubuntu, install Python's venv module first:"
            " sudo apt install python3-venv"
        ) from None
    pip = [str(_python()), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", *REQUIREMENTS], check=True)
    COMPLETE.write_text("nox and uv installed\n", "utf-8")


def main(argv: list[str]) -> int:
    # Run by whatever python3 a machine has, which may be older than erlen supports.
    if sys.version_info < (3, 10):  # noqa: UP036
        version = ".".join(map(str, sys.version_info[:3]))
        raise SystemExit(f"bootstrap: erlen needs Python 3.10 or newer; this is {version}")
    if not COMPLETE.exists():
        _create()
    command = [str(_python()), "-m", "nox", "--noxfile", str(ROOT / "noxfile.py"), *argv]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
