"""Differential tests: real Flask app objects through erlen's command, Flask's own as the oracle.

Flask 3.1.3 is a test dependency of this package, never a runtime one.
"""

from __future__ import annotations

import types

import click
import flask
import flask.cli as flask_cli
import pytest
from click.testing import CliRunner

from erlen_cli import ErlenGroup
from erlen_cli import find_best_app
from erlen_cli.discovery import is_app


@pytest.fixture
def app() -> flask.Flask:
    app = flask.Flask("oracle", subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"
    app.add_url_rule("/items/<int:id>", "item", methods=["GET", "PUT"])
    app.add_url_rule("/hook", "hook", methods=["POST"])
    app.add_url_rule("/api", "api", subdomain="api")

    @app.cli.command()
    def hello() -> None:
        click.echo(f"hello from {flask.current_app.name}")

    return app


def test_flask_app_is_recognised(app: flask.Flask) -> None:
    assert is_app(app)
    assert not is_app(flask.Flask)
    assert not is_app(flask.current_app)
    assert find_best_app(types.SimpleNamespace(__name__="m", web=app, Flask=flask.Flask)) is app


@pytest.mark.parametrize(
    "args", [[], ["--sort", "rule"], ["-s", "methods"], ["--all-methods"], ["-s", "match"]]
)
def test_routes_match_flask(app: flask.Flask, args: list[str]) -> None:
    runner = CliRunner()
    ours = runner.invoke(ErlenGroup(create_app=lambda: app), ["routes", *args])
    theirs = runner.invoke(flask_cli.FlaskGroup(create_app=lambda: app), ["routes", *args])
    assert ours.exit_code == theirs.exit_code == 0
    assert ours.output.splitlines() == [line.rstrip() for line in theirs.output.splitlines()]
    assert "Subdomain" in ours.output


def test_app_cli_commands_of_a_flask_app(app: flask.Flask) -> None:
    result = CliRunner().invoke(ErlenGroup(create_app=lambda: app), ["hello"])
    assert result.output == "hello from oracle\n"
