"""docs/migrating.md, run as a reader would: its files written, its commands run in order.

Each ``python`` block whose first line names a file (``# app.py``) is written into a fresh
project folder; each ``console`` block's ``$`` lines are run there with bash, one by one, and
every line shown below a command must appear in what it printed. ``ERLEN_CHECKOUT`` is this
checkout, as the page says.
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).parents[1]
PAGE = ROOT / "docs" / "migrating.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
FILE_NAME = re.compile(r"# ([\w./-]+\.py)$")


def blocks(kind: str) -> list[str]:
    return [body for lang, body in FENCE.findall(PAGE.read_text("utf-8")) if lang == kind]


def commands() -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` for every ``$`` line of the page, in order."""
    steps: list[tuple[str, list[str]]] = []
    for block in blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif line.strip():
                steps[-1][1].append(line.strip())
    return steps


def test_the_page_has_files_and_commands() -> None:
    files = [FILE_NAME.match(body.splitlines()[0]) for body in blocks("python")]
    assert sum(match is not None for match in files) >= 2
    assert len(commands()) >= 6


def test_migrating_page_runs(tmp_path: pathlib.Path) -> None:
    for body in blocks("python"):
        name = FILE_NAME.match(body.splitlines()[0])
        if name is not None:
            (tmp_path / name.group(1)).write_text(body, "utf-8")
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ERLEN_", "FLASK_", "PYTEST_", "VIRTUAL_ENV", "PYTHON"))
    }
    environ["ERLEN_CHECKOUT"] = str(ROOT)
    for command, expected in commands():
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=environ,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0:
            pytest.fail(f"$ {command}\nexited {result.returncode}:\n{output}")
        for line in expected:
            assert line in output, f"$ {command}\nprinted:\n{output}\nwithout: {line}"
