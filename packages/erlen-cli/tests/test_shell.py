from __future__ import annotations

import code
import importlib.metadata
import pathlib
import sys
import typing as t

import pytest
from click.testing import CliRunner
from miniapp import current
from miniapp import MiniApp

from erlen_cli import ErlenGroup
from erlen_cli.shell import shell_banner
from erlen_cli.shell import shell_namespace
from erlen_cli.version import erlen_version


@pytest.fixture
def interact(monkeypatch: pytest.MonkeyPatch) -> dict[str, t.Any]:
    """Replace the interactive loop; record its banner, namespace and the active app."""
    seen: dict[str, t.Any] = {}

    def fake_interact(banner: str, local: dict[str, t.Any]) -> None:
        seen.update(banner=banner, local=local, current=current())

    monkeypatch.setattr(code, "interact", fake_interact)
    monkeypatch.delattr(sys, "__interactivehook__", raising=False)
    return seen


def test_shell_in_app_context(interact: dict[str, t.Any], runner: CliRunner) -> None:
    app = MiniApp("shellapp")
    result = runner.invoke(ErlenGroup(create_app=lambda: app), ["shell"])
    assert result.exit_code == 0, result.output
    assert interact["current"] is app
    assert interact["local"] == {"app": app, "answer": 42}
    banner = interact["banner"].splitlines()
    assert banner[0] == f"Python {sys.version} on {sys.platform}"
    assert banner[1] == (
        f"Erlen {erlen_version()}, Werkzeug {importlib.metadata.version('werkzeug')}"
    )
    assert banner[2:] == ["App: shellapp", "Instance: /srv/shellapp/instance"]


def test_pythonstartup_runs_first(
    interact: dict[str, t.Any],
    runner: CliRunner,
    tmp_path: pathlib.Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    startup = tmp_path / "startup.py"
    startup.write_text("answer = 'startup'\nfrom_startup = True\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONSTARTUP", str(startup))
    result = runner.invoke(ErlenGroup(create_app=MiniApp), ["shell"])
    assert result.exit_code == 0, result.output
    # The app's shell context wins over names the startup script defines.
    assert interact["local"]["answer"] == 42
    assert interact["local"]["from_startup"] is True


def test_missing_pythonstartup_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONSTARTUP", "/does/not/exist.py")
    app = MiniApp()
    assert shell_namespace(app) == {"app": app, "answer": 42}


def test_app_without_shell_context() -> None:
    class Bare(MiniApp):
        make_shell_context = None  # type: ignore[assignment]

    app = Bare("bare")
    del app.import_name, app.instance_path
    assert shell_namespace(app) == {"app": app}
    assert shell_banner(app).count("\n") == 1


def test_interactive_hook_and_completion(
    interact: dict[str, t.Any], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    readline = pytest.importorskip("readline")
    completers: list[t.Any] = []
    hooked: list[bool] = []
    monkeypatch.setattr(readline, "set_completer", completers.append)
    monkeypatch.setattr(sys, "__interactivehook__", lambda: hooked.append(True), raising=False)

    runner.invoke(ErlenGroup(create_app=MiniApp), ["shell"])
    assert hooked == [True]
    # The completer knows the shell's names, not those of __main__.
    assert completers[-1]("ans", 0) == "answer"


def test_interactive_hook_without_readline(
    interact: dict[str, t.Any], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked: list[bool] = []
    monkeypatch.setitem(sys.modules, "readline", None)
    monkeypatch.setattr(sys, "__interactivehook__", lambda: hooked.append(True), raising=False)
    result = runner.invoke(ErlenGroup(create_app=MiniApp), ["shell"])
    assert result.exit_code == 0
    assert hooked == [True]
