from __future__ import annotations

import flask
import flask.testing
import pytest

from erlen_testing import EnvironBuilder

CASES = [
    ({}, {}),
    ({"SERVER_NAME": "example.test:8080"}, {}),
    ({"APPLICATION_ROOT": "/root"}, {}),
    ({"PREFERRED_URL_SCHEME": "https"}, {}),
    ({"SERVER_NAME": "example.test"}, {"subdomain": "api"}),
    ({}, {"url_scheme": "https"}),
    ({}, {"path": "/a/b?x=1&y=2"}),
    ({"APPLICATION_ROOT": "/root"}, {"path": "https://other.test/p?q=1"}),
    ({}, {"base_url": "http://base.test/mount"}),
]


@pytest.mark.parametrize(("config", "kwargs"), CASES)
def test_same_environ_as_flask(app: flask.Flask, config: dict, kwargs: dict) -> None:
    app.config.update(config)
    ours = EnvironBuilder(app, **kwargs).get_environ()
    theirs = flask.testing.EnvironBuilder(app, **kwargs).get_environ()
    keys = ("wsgi.url_scheme", "HTTP_HOST", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING")
    assert {k: ours[k] for k in keys} == {k: theirs[k] for k in keys}


def test_defaults_come_from_config(app: flask.Flask) -> None:
    app.config.update(
        SERVER_NAME="example.test", APPLICATION_ROOT="/app", PREFERRED_URL_SCHEME="https"
    )
    builder = EnvironBuilder(app, "/page", subdomain="api")
    assert builder.base_url == "https://api.example.test/app/"
    assert builder.app is app


def test_works_without_flask_defaults_in_config() -> None:
    class App:
        config: dict = {}
        json = None

    builder = EnvironBuilder(App(), "/x")
    assert builder.base_url == "http://localhost/"
    assert builder.path == "/x"


@pytest.mark.parametrize("extra", [{"subdomain": "api"}, {"url_scheme": "https"}])
def test_base_url_conflicts(app: flask.Flask, extra: dict) -> None:
    with pytest.raises(TypeError, match="without 'base_url'"):
        EnvironBuilder(app, base_url="http://x.test/", **extra)


def test_json_uses_app_provider(app: flask.Flask) -> None:
    app.json.sort_keys = False
    builder = EnvironBuilder(app, json={"b": 1, "a": 2})
    assert builder.get_request().get_data() == b'{"b": 1, "a": 2}'
    assert builder.content_type == "application/json"
    app.json.sort_keys = True
    assert EnvironBuilder(app, json={"b": 1, "a": 2}).get_request().get_data() == (
        b'{"a": 2, "b": 1}'
    )
