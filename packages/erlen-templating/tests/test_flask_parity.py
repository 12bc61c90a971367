"""Differential tests: erlen's loader and its explanation, run on a real Flask application,
against Flask 3.1.3's own.
"""

from __future__ import annotations

import logging
import pathlib
import typing as t

import flask
import flask.templating
import pytest

from erlen_templating import DispatchingJinjaLoader


@pytest.fixture
def flask_app(tmp_path: pathlib.Path, write_template: t.Any) -> flask.Flask:
    write_template(tmp_path / "templates", "shared.html", "app")
    write_template(tmp_path / "first", "shared.html", "first")
    write_template(tmp_path / "first", "first.html", "first only")
    write_template(tmp_path / "second", "first.html", "second")
    app = flask.Flask("parity", root_path=str(tmp_path))
    app.register_blueprint(flask.Blueprint("first", "parity.first", template_folder="first"))
    app.register_blueprint(flask.Blueprint("bare", "parity.bare"))
    app.register_blueprint(flask.Blueprint("second", "parity.second", template_folder="second"))
    return app


def lookup(loader: t.Any, app: flask.Flask, name: str) -> t.Any:
    try:
        text, filename, _uptodate = loader.get_source(app.jinja_env, name)
    except Exception as e:  # the exception is the result compared
        return type(e), str(e)
    return text, filename


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("name", ["shared.html", "first.html", "missing.html"])
def test_same_source_and_explanation(
    flask_app: flask.Flask, caplog: pytest.LogCaptureFixture, explain: bool, name: str
) -> None:
    flask_app.config["EXPLAIN_TEMPLATE_LOADING"] = explain
    results, messages = [], []
    for loader in (
        flask.templating.DispatchingJinjaLoader(flask_app),
        DispatchingJinjaLoader(flask_app),
    ):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="parity"):
            results.append(lookup(loader, flask_app, name))
        messages.append([r.getMessage().splitlines() for r in caplog.records])
    assert results[0] == results[1]
    if not explain:
        assert messages == [[], []]
        return
    (flask_lines,), (erlen_lines,) = messages
    # erlen words its warning in its own way; everything else is the same text.
    assert [x.partition(";")[0] for x in erlen_lines] == [
        x.rstrip(".") if x.startswith("Warning") else x for x in flask_lines
    ]


def test_same_template_list(flask_app: flask.Flask) -> None:
    expected = flask.templating.DispatchingJinjaLoader(flask_app).list_templates()
    assert sorted(DispatchingJinjaLoader(flask_app).list_templates()) == sorted(expected)
