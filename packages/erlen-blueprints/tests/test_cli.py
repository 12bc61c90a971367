"""A blueprint's commands on the app's command line, and where ``cli_group`` puts them."""

from __future__ import annotations

import click
import pytest

from erlen_blueprints import Blueprint
from erlen_blueprints.naming import BLUEPRINT_NAME
from erlen_cli import AppGroup
from erlen_context import current_app
from erlen_core.app import Erlen


def with_command(bp: Blueprint) -> Blueprint:
    @bp.cli.command("hello")
    def hello() -> None:
        # AppGroup commands run inside the app's context.
        click.echo(f"hello from {bp.name} in {current_app.name}")

    return bp


def test_commands_form_an_app_context_group() -> None:
    bp = Blueprint("tools", __name__)
    assert isinstance(bp.cli, AppGroup)
    assert bp.cli.name == "tools"
    assert bp.cli_group is BLUEPRINT_NAME


@pytest.mark.parametrize(
    ("bp_group", "option", "args"),
    [
        (BLUEPRINT_NAME, None, ["tools", "hello"]),
        ("admin", None, ["admin", "hello"]),
        (None, None, ["hello"]),
        (BLUEPRINT_NAME, "ops", ["ops", "hello"]),
        ("admin", None, ["admin", "hello"]),
    ],
)
def test_where_the_commands_go(bp_group: str | None, option: str | None, args: list[str]) -> None:
    app = Erlen("cli_app")
    bp = with_command(Blueprint("tools", __name__, cli_group=bp_group))
    app.register_blueprint(bp, **({} if option is None else {"cli_group": option}))
    result = app.test_cli_runner().invoke(args=args)
    assert result.output == "hello from tools in cli_app\n"


def test_merging_into_the_app_group_with_the_option() -> None:
    app = Erlen("cli_app")
    app.register_blueprint(with_command(Blueprint("tools", __name__)), cli_group=None)
    assert "hello" in app.cli.commands and "tools" not in app.cli.commands


def test_registered_name_names_the_group(app: Erlen) -> None:
    parent = Blueprint("parent", __name__)
    parent.register_blueprint(with_command(Blueprint("kid", __name__)))
    app.register_blueprint(parent, name="family")
    result = app.test_cli_runner().invoke(args=["family.kid", "hello"])
    assert result.output == "hello from kid in blueprint_tests\n"


def test_no_commands_no_group(app: Erlen) -> None:
    app.register_blueprint(Blueprint("quiet", __name__, cli_group="quiet"))
    assert "quiet" not in app.cli.commands
    assert app.test_cli_runner().invoke(args=["quiet"]).exit_code == 2


def test_the_io_free_base_uses_a_plain_click_group() -> None:
    from erlen_blueprints.blueprint import Blueprint as Base

    bp = Base("base", __name__)
    assert type(bp.cli) is click.Group and bp.cli.name == "base"
