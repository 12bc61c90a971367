from __future__ import annotations

import click
import flask
import flask.cli
import pytest

from erlen_testing import ErlenCliRunner
from erlen_testing import FlaskCliRunner
from erlen_testing.runner import _script_info_class


@pytest.fixture
def hello(app: flask.Flask) -> click.Command:
    @app.cli.command("hello")
    @click.option("--name", default="World")
    def hello_command(name: str) -> None:
        click.echo(f"Hello, {name} from {flask.current_app.name}!")

    return hello_command


def test_alias_and_app_factory(app: flask.Flask, runner: ErlenCliRunner) -> None:
    assert FlaskCliRunner is ErlenCliRunner
    assert type(runner) is ErlenCliRunner
    assert runner.app is app


def test_invokes_app_group_by_default(hello: click.Command, runner: ErlenCliRunner) -> None:
    result = runner.invoke(args=["hello", "--name", "erlen"])
    assert result.exit_code == 0, result.output
    assert result.output == "Hello, erlen from erlen_testing_tests!\n"


def test_invokes_given_command(hello: click.Command, runner: ErlenCliRunner) -> None:
    result = runner.invoke(hello, "--name flask")
    assert result.output == "Hello, flask from erlen_testing_tests!\n"


def test_script_info_loads_the_app(app: flask.Flask, runner: ErlenCliRunner) -> None:
    seen = []

    @app.cli.command("info")
    @click.pass_obj
    def info(obj: flask.cli.ScriptInfo) -> None:
        seen.append(obj)

    runner.invoke(args=["info"])
    assert type(seen[0]) is flask.cli.ScriptInfo
    assert seen[0].load_app() is app


def test_obj_given_is_used(app: flask.Flask, hello: click.Command) -> None:
    other = flask.Flask("other")
    info = flask.cli.ScriptInfo(create_app=lambda: other)
    result = app.test_cli_runner().invoke(hello, obj=info)
    assert result.output == "Hello, World from other!\n"


def test_extra_positional_arguments_pass_through(runner: ErlenCliRunner) -> None:
    @click.command()
    def echo_input() -> None:
        click.echo(input().upper())

    assert runner.invoke(echo_input, [], "shout\n").output == "SHOUT\n"


def test_script_info_class_attribute_wins(app: flask.Flask, hello: click.Command) -> None:
    class MyScriptInfo(flask.cli.ScriptInfo):
        pass

    app.script_info_class = MyScriptInfo  # type: ignore[attr-defined]
    assert _script_info_class(app) is MyScriptInfo
    assert app.test_cli_runner().invoke(args=["hello"]).exit_code == 0


def test_script_info_found_in_top_level_package(monkeypatch: pytest.MonkeyPatch) -> None:
    class Group(click.Group):
        pass

    class ScriptInfo:
        def __init__(self, create_app: object) -> None:
            self.create_app = create_app

    Group.__module__ = "fakecli._group"
    fake_package = type(pytest)("fakecli")
    fake_package.ScriptInfo = ScriptInfo  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "fakecli", fake_package)

    class App:
        cli = Group()

    assert _script_info_class(App()) is ScriptInfo


def test_no_script_info_class_is_a_clear_error() -> None:
    class App:
        cli = click.Group()

    runner = ErlenCliRunner(App())  # type: ignore[arg-type]

    with pytest.raises(TypeError, match="script_info_class"):
        runner.invoke()

    with pytest.raises(TypeError, match="Cannot tell which ScriptInfo"):
        _script_info_class(object())  # type: ignore[arg-type]
