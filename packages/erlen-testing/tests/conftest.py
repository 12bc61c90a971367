from __future__ import annotations

import flask
import pytest

from erlen_testing import ErlenClient
from erlen_testing import ErlenCliRunner

pytest_plugins = ["pytester"]


@pytest.fixture
def app() -> flask.Flask:
    """A real Flask app wired to erlen-testing's client and runner, as an erlen app is."""
    app = flask.Flask("erlen_testing_tests")
    app.config.update(TESTING=True, SECRET_KEY="test key")
    app.test_client_class = ErlenClient
    app.test_cli_runner_class = ErlenCliRunner
    return app
