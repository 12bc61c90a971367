from __future__ import annotations

import importlib.metadata
import os
import pathlib
import platform
import runpy
import sys
import types

import click
import pytest
from click.testing import CliRunner
from miniapp import current
from miniapp import MiniApp
from miniapp import ReportingApp

import erlen_cli
from erlen_cli import cli
from erlen_cli import ErlenGroup
from erlen_cli import FlaskGroup
from erlen_cli import get_version
from erlen_cli import ScriptInfo


def app_with_commands(name: str = "cmdapp", cls: type[MiniApp] = MiniApp) -> MiniApp:
    app = cls(name)

    @app.cli.command()
    def hello() -> None:
        click.echo(f"hello from {current().name}")

    @app.cli.group()
    def bp() -> None:
        """A blueprint's group merged into app.cli."""

    @bp.command()
    def nested() -> None:
        click.echo(f"nested in {current().name}")

    return app


def test_flask_group_is_erlen_group() -> None:
    assert FlaskGroup is ErlenGroup
    assert isinstance(cli, ErlenGroup)
    assert cli.name == "erlen"


def test_default_commands_and_options() -> None:
    group = ErlenGroup()
    assert sorted(group.commands) == ["routes", "run", "shell"]
    options = {opt for param in group.params for opt in param.opts}
    assert {"-e", "--env-file", "-A", "--app", "--debug", "--version"} <= options
    assert group.context_settings["auto_envvar_prefix"] == "FLASK"


def test_without_defaults() -> None:
    extra = click.Option(["--verbose"], is_flag=True)
    group = ErlenGroup(
        add_default_commands=False,
        add_version_option=False,
        params=[extra],
        context_settings={"auto_envvar_prefix": "MYAPP"},
    )
    assert group.commands == {}
    assert group.params[0] is extra
    assert "--version" not in {opt for param in group.params for opt in param.opts}
    assert group.context_settings["auto_envvar_prefix"] == "MYAPP"


class TestAppCommands:
    def test_app_command_runs_in_context(self, runner: CliRunner) -> None:
        app = app_with_commands()
        result = runner.invoke(ErlenGroup(create_app=lambda: app), ["hello"])
        assert result.output == "hello from cmdapp\n"

    def test_blueprint_group(self, runner: CliRunner) -> None:
        app = app_with_commands()
        result = runner.invoke(ErlenGroup(create_app=lambda: app), ["bp", "nested"])
        assert result.output == "nested in cmdapp\n"

    def test_reporting_app_gets_one_context(self, runner: CliRunner) -> None:
        app = app_with_commands(cls=ReportingApp)
        result = runner.invoke(ErlenGroup(create_app=lambda: app), ["hello"])
        assert result.exit_code == 0
        assert app.pushes == 1

    def test_context_available_in_parameter_callbacks(self, runner: CliRunner) -> None:
        app = ReportingApp("params")

        def callback(ctx: click.Context, param: click.Parameter, value: str) -> str:
            return f"{value}@{current().name}"

        @app.cli.command()
        @click.argument("value", callback=callback)
        def check(value: str) -> tuple[str, bool]:
            loaded = click.get_current_context().ensure_object(ScriptInfo).load_app()
            return value, loaded is current()

        result = runner.invoke(
            ErlenGroup(create_app=lambda: app), ["check", "x"], standalone_mode=False
        )
        assert result.return_value == ("x@params", True)

    def test_group_commands_registered_on_the_group(self, runner: CliRunner) -> None:
        group = ErlenGroup(create_app=lambda: MiniApp("grouped"))

        @group.command()
        def mine() -> None:
            click.echo(current().name)

        assert runner.invoke(group, ["mine"]).output == "grouped\n"

    def test_under_a_project_group(self, runner: CliRunner) -> None:
        manage = click.Group("manage")
        manage.add_command(ErlenGroup(name="web", create_app=lambda: app_with_commands("shop")))
        assert runner.invoke(manage, ["web", "bp", "nested"]).output == "nested in shop\n"
        assert "hello" in runner.invoke(manage, ["web", "--help"]).output

    def test_custom_obj_is_kept(self, runner: CliRunner) -> None:
        app = app_with_commands("custom")
        result = runner.invoke(
            ErlenGroup(create_app=lambda: MiniApp("ignored")),
            ["hello"],
            obj=ScriptInfo(create_app=lambda: app),
        )
        assert result.output == "hello from custom\n"

    def test_run_from_cli_flag(self, runner: CliRunner) -> None:
        runner.invoke(ErlenGroup(create_app=MiniApp), ["--help"])
        assert os.environ["FLASK_RUN_FROM_CLI"] == "true"


class TestDiscoveryOptions:
    def test_app_option(self, runner: CliRunner, apps_dir: pathlib.Path) -> None:
        result = runner.invoke(cli, ["--app", "bakery.factories:open_branch('p', 'q')", "routes"])
        assert result.exit_code == 0, result.output
        assert "No routes were registered." in result.output

    @pytest.mark.parametrize("variable", ["FLASK_APP", "ERLEN_APP"])
    def test_app_from_environment(
        self, runner: CliRunner, apps_dir: pathlib.Path, variable: str
    ) -> None:
        app = app_with_commands("fromenv")
        sys.modules["envapp"] = types.ModuleType("envapp")
        sys.modules["envapp"].app = app  # type: ignore[attr-defined]
        result = runner.invoke(cli, ["hello"], env={variable: "envapp"})
        assert result.output == "hello from fromenv\n"

    def test_erlen_app_wins_over_flask_app(self, runner: CliRunner, apps_dir: pathlib.Path) -> None:
        for name in ("first", "second"):
            module = sys.modules[name] = types.ModuleType(name)
            module.app = app_with_commands(name)  # type: ignore[attr-defined]
        result = runner.invoke(cli, ["hello"], env={"ERLEN_APP": "first", "FLASK_APP": "second"})
        assert result.output == "hello from first\n"

    def test_option_wins_over_environment(self, runner: CliRunner, apps_dir: pathlib.Path) -> None:
        result = runner.invoke(
            cli, ["--app", "bakery.app", "routes"], env={"FLASK_APP": "does_not_exist"}
        )
        assert result.exit_code == 0, result.output

    def test_defaults_in_current_folder(
        self, runner: CliRunner, apps_dir: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(apps_dir / "kiosk")
        result = runner.invoke(cli, ["routes"])
        assert result.exit_code == 0, result.output
        assert "kiosk" in result.output

    def test_help_lists_app_commands_from_environment(
        self, runner: CliRunner, apps_dir: pathlib.Path
    ) -> None:
        sys.modules["helpapp"] = module = types.ModuleType("helpapp")
        module.app = app_with_commands()  # type: ignore[attr-defined]
        for args in ([], ["--help"]):
            result = runner.invoke(cli, args, env={"FLASK_APP": "helpapp"})
            assert "hello" in result.output
            assert "bp" in result.output


class TestLoadErrors:
    def test_unknown_command_shows_loading_error(
        self, runner: CliRunner, in_tmp: pathlib.Path
    ) -> None:
        result = runner.invoke(cli, ["missing"])
        assert result.exit_code == 2
        assert "FLASK_APP" in result.stderr
        assert "Usage:" in result.stderr
        assert "No such command 'missing'" in result.stderr

    def test_help_shows_loading_error(self, runner: CliRunner, in_tmp: pathlib.Path) -> None:
        result = runner.invoke(cli, ["--help"])
        assert result.exit_code == 0
        assert "Could not locate an application" in result.stderr
        assert "Usage:" in result.stdout
        assert "routes" in result.stdout

    def test_help_shows_traceback_of_user_error(self, runner: CliRunner) -> None:
        def create_app() -> MiniApp:
            raise ConnectionError("the database is down")

        result = runner.invoke(ErlenGroup(create_app=create_app), ["--help"])
        assert result.exit_code == 0
        assert "Traceback" in result.stderr
        assert "ConnectionError: the database is down" in result.stderr
        assert "Usage:" in result.stdout

    def test_user_error_while_looking_up_a_command_propagates(self, runner: CliRunner) -> None:
        def create_app() -> MiniApp:
            raise ConnectionError("the database is down")

        result = runner.invoke(ErlenGroup(create_app=create_app), ["migrate"])
        assert result.exit_code == 1
        assert isinstance(result.exception, ConnectionError)
        assert result.stderr == ""

    def test_missing_module_is_one_clear_error(
        self, runner: CliRunner, in_tmp: pathlib.Path
    ) -> None:
        result = runner.invoke(cli, ["--app", "nosuchmodule", "routes"])
        assert result.exit_code == 2
        assert "Error: Could not import 'nosuchmodule'" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.count("Error") == 1

    def test_broken_module_is_one_clear_error(
        self, runner: CliRunner, in_tmp: pathlib.Path
    ) -> None:
        (in_tmp / "broken.py").write_text("def app(:\n", encoding="utf-8")
        result = runner.invoke(cli, ["--app", "broken", "routes"])
        assert result.exit_code == 2
        assert "Module 'broken' does not compile" in result.stderr
        assert "Traceback" not in result.stderr


class TestDebugOption:
    @pytest.mark.parametrize(("flag", "expected"), [("--debug", "1"), ("--no-debug", "0")])
    def test_flag_sets_environment_and_app(
        self, runner: CliRunner, flag: str, expected: str
    ) -> None:
        app = app_with_commands()

        @app.cli.command()
        def debug() -> None:
            click.echo(f"{os.environ['FLASK_DEBUG']} {current().debug}")

        result = runner.invoke(ErlenGroup(create_app=lambda: app), [flag, "debug"])
        assert result.output == f"{expected} {expected == '1'}\n"

    def test_unset_flag_keeps_environment(self, runner: CliRunner) -> None:
        app = MiniApp()

        @app.cli.command()
        def debug() -> None:
            click.echo(f"{os.environ.get('FLASK_DEBUG')} {current().debug}")

        result = runner.invoke(ErlenGroup(create_app=lambda: app), ["debug"])
        assert result.output == "None False\n"
        result = runner.invoke(
            ErlenGroup(create_app=lambda: app), ["debug"], env={"FLASK_DEBUG": "1"}
        )
        assert result.output == "1 True\n"

    @pytest.mark.parametrize(("set_debug_flag", "debug"), [(True, True), (False, False)])
    def test_set_debug_flag_decides_whether_the_app_follows_the_environment(
        self, runner: CliRunner, set_debug_flag: bool, debug: bool
    ) -> None:
        group = ErlenGroup(create_app=MiniApp, set_debug_flag=set_debug_flag)

        @group.command()
        def debug_state() -> None:
            click.echo(f"{os.environ['FLASK_DEBUG']} {current().debug}")

        # --debug reads FLASK_DEBUG (the FLASK_ prefix) and writes it back normalised.
        result = runner.invoke(group, ["debug-state"], env={"FLASK_DEBUG": "yes"})
        assert result.output == f"1 {debug}\n"


def installed_erlen_version() -> str:
    """The umbrella's version when it is installed (as in the workspace), else erlen-cli's."""
    try:
        return importlib.metadata.version("erlen")
    except importlib.metadata.PackageNotFoundError:
        return importlib.metadata.version("erlen-cli")


class TestVersion:
    def test_option(self, runner: CliRunner) -> None:
        result = runner.invoke(cli, ["--version"])
        assert result.exit_code == 0
        assert result.output.splitlines() == [
            f"Python {platform.python_version()}",
            f"Erlen {installed_erlen_version()}",
            f"Werkzeug {importlib.metadata.version('werkzeug')}",
        ]

    def test_names_flask_when_installed_as_flask(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_version = importlib.metadata.version
        monkeypatch.setitem(sys.modules, "flask", types.ModuleType("erlen"))
        monkeypatch.setattr(
            importlib.metadata,
            "version",
            lambda name: "3.1.3" if name == "flask" else real_version(name),
        )
        result = runner.invoke(cli, ["--version"])
        assert result.output.splitlines()[2] == "Flask 3.1.3 (provided by erlen)"
        assert result.output.splitlines()[3].startswith("Werkzeug ")

    def test_falls_back_to_erlen_cli(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_version = importlib.metadata.version

        def version(name: str) -> str:
            if name == "erlen":
                raise importlib.metadata.PackageNotFoundError(name)
            return real_version(name)

        monkeypatch.setattr(importlib.metadata, "version", version)
        result = runner.invoke(cli, ["--version"])
        assert f"Erlen {real_version('erlen-cli')}" in result.output

    def test_callback_ignores_unset_and_completion(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        ctx = click.Context(cli, resilient_parsing=True)
        get_version(ctx, None, True)
        get_version(click.Context(cli), None, False)
        assert capsys.readouterr().out == ""


def test_make_context_takes_any_sequence_and_provides_script_info(
    capsys: pytest.CaptureFixture[str],
) -> None:
    group = ErlenGroup(create_app=MiniApp, set_debug_flag=False, load_dotenv=False)
    ctx = group.make_context("erlen", ("routes",))
    info = ctx.obj
    assert isinstance(info, ScriptInfo)
    assert info.create_app is MiniApp
    assert (info.set_debug_flag, info.load_dotenv_defaults) == (False, False)
    with ctx:
        group.invoke(ctx)
    assert capsys.readouterr().out == "No routes were registered.\n"


def test_context_settings_obj_is_kept() -> None:
    mine = ScriptInfo(create_app=MiniApp)
    group = ErlenGroup(context_settings={"obj": mine})
    assert group.make_context("erlen", ["routes"]).obj is mine


class TestPlugins:
    @pytest.fixture
    def entry_points(self, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
        """Fake installed entry points: group -> ["name = module:attr", ...]."""
        declared: dict[str, list[str]] = {}

        def entry_points(*, group: str) -> list[importlib.metadata.EntryPoint]:
            return [
                importlib.metadata.EntryPoint(*(p.strip() for p in spec.split("=")), group)
                for spec in declared.get(group, [])
            ]

        plugin = types.ModuleType("fake_plugin")
        for name in ("flask_cmd", "erlen_cmd", "shared_flask", "shared_erlen"):

            @click.command(name)
            def command(name: str = name) -> None:
                click.echo(name)

            setattr(plugin, name, command)
        monkeypatch.setitem(sys.modules, "fake_plugin", plugin)
        monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
        return declared

    def test_both_groups(self, runner: CliRunner, entry_points: dict[str, list[str]]) -> None:
        entry_points["flask.commands"] = [
            "from-flask = fake_plugin:flask_cmd",
            "shared = fake_plugin:shared_flask",
        ]
        entry_points["erlen.commands"] = [
            "from-erlen = fake_plugin:erlen_cmd",
            "shared = fake_plugin:shared_erlen",
        ]
        group = ErlenGroup(create_app=MiniApp)
        assert runner.invoke(group, ["from-flask"]).output == "flask_cmd\n"
        assert runner.invoke(group, ["from-erlen"]).output == "erlen_cmd\n"
        assert runner.invoke(group, ["shared"]).output == "shared_erlen\n"
        listed = runner.invoke(group, ["--help"]).output
        assert "from-flask" in listed
        assert "from-erlen" in listed

    def test_plugin_works_without_app(
        self, runner: CliRunner, entry_points: dict[str, list[str]], in_tmp: pathlib.Path
    ) -> None:
        entry_points["flask.commands"] = ["from-flask = fake_plugin:flask_cmd"]
        result = runner.invoke(ErlenGroup(), ["from-flask"])
        assert result.exit_code == 0
        assert result.output == "flask_cmd\n"

    def test_plugin_commands_by_name(self, entry_points: dict[str, list[str]]) -> None:
        entry_points["flask.commands"] = ["a = fake_plugin:flask_cmd"]
        entry_points["erlen.commands"] = ["b = fake_plugin:erlen_cmd"]
        found = erlen_cli.plugin_commands()
        assert {name: command.name for name, command in found.items()} == {
            "a": "flask_cmd",
            "b": "erlen_cmd",
        }

    def test_plugins_are_loaded_once(
        self, runner: CliRunner, entry_points: dict[str, list[str]]
    ) -> None:
        entry_points["flask.commands"] = ["once = fake_plugin:flask_cmd"]
        group = ErlenGroup(create_app=MiniApp)
        runner.invoke(group, ["once"])
        entry_points["flask.commands"] = []
        assert runner.invoke(group, ["once"]).output == "flask_cmd\n"

    def test_broken_plugin_is_reported_and_skipped(
        self, runner: CliRunner, entry_points: dict[str, list[str]]
    ) -> None:
        entry_points["erlen.commands"] = [
            "gone = fake_plugin:missing_attribute",
            "from-erlen = fake_plugin:erlen_cmd",
        ]
        result = runner.invoke(ErlenGroup(create_app=MiniApp), ["from-erlen"])
        assert result.stdout == "erlen_cmd\n"
        assert "could not load the 'gone' command" in result.stderr
        assert "fake_plugin:missing_attribute" in result.stderr


def test_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["erlen", "--version"])
    with pytest.raises(SystemExit) as exc:
        erlen_cli.main()
    assert exc.value.code == 0
    assert "Erlen" in capsys.readouterr().out


def test_python_m_erlen_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["erlen", "--version"])
    with pytest.raises(SystemExit):
        runpy.run_module("erlen_cli", run_name="__main__")
    assert "Werkzeug" in capsys.readouterr().out
