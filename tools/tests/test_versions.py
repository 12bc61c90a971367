"""The version checker and setter, run on a temporary copy of the workspace."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest

TOOLS = pathlib.Path(__file__).parents[1]
ROOT = TOOLS.parent


@pytest.fixture
def workspace_copy(tmp_path: pathlib.Path) -> pathlib.Path:
    for package in (ROOT / "packages").iterdir():
        target = tmp_path / "packages" / package.name
        target.mkdir(parents=True)
        for name in ("pyproject.toml", "CHANGES.md"):
            shutil.copy(package / name, target / name)
    return tmp_path


def versions(root: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOLS / "versions.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
    )


def test_checkout_agrees() -> None:
    result = versions(ROOT, "check")
    assert result.returncode == 0, result.stderr
    assert "all 9 packages agree" in result.stdout


def test_release_rewrites_every_version_pin_and_heading(workspace_copy: pathlib.Path) -> None:
    result = versions(workspace_copy, "set", "0.2.0")
    assert result.returncode == 0, result.stderr
    assert versions(workspace_copy, "check").returncode == 0
    umbrella = (workspace_copy / "packages/erlen/pyproject.toml").read_text()
    assert 'version = "0.2.0"' in umbrella
    assert '"erlen-core==0.2.0"' in umbrella
    assert "==0.1.0" not in umbrella
    for log in workspace_copy.glob("packages/*/CHANGES.md"):
        assert "## Version 0.2.0" in log.read_text()


def test_broken_pin_fails_naming_the_file(workspace_copy: pathlib.Path) -> None:
    pyproject = workspace_copy / "packages/erlen-core/pyproject.toml"
    text = pyproject.read_text()
    broken = text.replace('"erlen-routing==', '"erlen-routing==9.9.9', 1)
    assert broken != text
    pyproject.write_text(broken.replace("==9.9.90.1.0.dev0", "==9.9.9"))
    result = versions(workspace_copy, "check")
    assert result.returncode == 1
    assert "packages/erlen-core/pyproject.toml: pins erlen-routing==9.9.9" in result.stderr


def test_loose_pin_fails(workspace_copy: pathlib.Path) -> None:
    pyproject = workspace_copy / "packages/erlen-blueprints/pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"erlen-core==', '"erlen-core>=', 1))
    result = versions(workspace_copy, "check")
    assert result.returncode == 1
    assert "packages/erlen-blueprints/pyproject.toml: pins erlen-core>=" in result.stderr


def test_odd_version_and_stale_changelog_fail(workspace_copy: pathlib.Path) -> None:
    pyproject = workspace_copy / "packages/erlen-cli/pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "', 'version = "7', 1))
    log = workspace_copy / "packages/erlen-sessions/CHANGES.md"
    log.write_text(log.read_text().replace("## Version ", "## Version 3", 1))
    result = versions(workspace_copy, "check")
    assert result.returncode == 1
    assert "packages/erlen-cli/pyproject.toml: version 7" in result.stderr
    assert "packages/erlen-sessions/CHANGES.md: newest heading is 3" in result.stderr


def test_set_refuses_a_non_version(workspace_copy: pathlib.Path) -> None:
    result = versions(workspace_copy, "set", "next")
    assert result.returncode != 0
    assert "is not a release version" in result.stderr
