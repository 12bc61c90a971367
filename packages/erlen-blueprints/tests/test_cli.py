"""The blueprint's command group on the app's command line."""

from __future__ import annotations

import click

from erlen_blueprints import Blueprint
from erlen_cli import AppGroup
from erlen_core.app import Erlen


def _add_command(bp: Blueprint, name: str) -> None:
    @bp.cli.command(name)
    def command() -> None:
        click.echo(f"{name}_result")


def test_cli_group_is_named_after_blueprint() -> None:
    bp = Blueprint("tools", __name__)
    assert isinstance(bp.cli, AppGroup)
    assert bp.cli.name == "tools"


def test_cli_groups(app: Erlen) -> None:
    custom = Blueprint("custom", __name__, cli_group="customized")
    nested = Blueprint("nested", __name__)
    merged = Blueprint("merged", __name__, cli_group=None)
    late = Blueprint("late", __name__)
    for bp in (custom, nested, merged, late):
        _add_command(bp, bp.name)
    app.register_blueprint(custom)
    app.register_blueprint(nested)
    app.register_blueprint(merged)
    app.register_blueprint(late, cli_group="late_registration")

    runner = app.test_cli_runner()
    assert "custom_result" in runner.invoke(args=["customized", "custom"]).output
    assert "nested_result" in runner.invoke(args=["nested", "nested"]).output
    assert "merged_result" in runner.invoke(args=["merged"]).output
    assert "late_result" in runner.invoke(args=["late_registration", "late"]).output


def test_renamed_registration_names_group(app: Erlen) -> None:
    bp = Blueprint("bp", __name__)
    _add_command(bp, "hello")
    app.register_blueprint(bp, name="renamed")
    result = app.test_cli_runner().invoke(args=["renamed", "hello"])
    assert "hello_result" in result.output


def test_empty_cli_group_not_added(app: Erlen) -> None:
    app.register_blueprint(Blueprint("blue", __name__, cli_group="blue"))
    assert "blue" not in app.cli.commands
    result = app.test_cli_runner().invoke(args=["blue", "--help"])
    assert result.exit_code == 2
