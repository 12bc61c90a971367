"""Public API usage that must type-check: ``mypy --strict packages/erlen-testing/tests/typing``.

A Flask app stands in for an erlen app: it satisfies the protocols the helpers accept.
"""

from __future__ import annotations

import flask
from click.testing import Result
from werkzeug.test import TestResponse

from erlen_testing import ContextLeakDetector
from erlen_testing import EnvironBuilder
from erlen_testing import ErlenClient
from erlen_testing import ErlenCliRunner
from erlen_testing import LiveServer

app = flask.Flask(__name__)
builder = EnvironBuilder(app, "/", json={"a": 1})
client = ErlenClient(app)
response: TestResponse = client.get("/", follow_redirects=True)
with client.session_transaction() as session:
    session["x"] = 1
result: Result = ErlenCliRunner(app).invoke(args=["--help"])
with LiveServer(app) as server:
    url: str = server.url("/")
with ContextLeakDetector() as detector:
    leaks: list[object] = detector.leaks()
