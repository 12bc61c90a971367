"""Flask-Caching, unchanged, on erlen: cached views and memoized functions."""

from __future__ import annotations

import caching_app
import flask
import pytest
from flask.testing import FlaskClient

import erlen

pytestmark = pytest.mark.extension("Flask-Caching")


@pytest.fixture
def client() -> FlaskClient:
    app = caching_app.create_app()
    with app.app_context():
        caching_app.cache.clear()
    return app.test_client()


def test_the_app_is_an_erlen_app() -> None:
    assert flask.Flask is erlen.Erlen
    assert isinstance(caching_app.create_app(), erlen.Erlen)


def test_a_cached_view_renders_once(client: FlaskClient) -> None:
    assert client.get("/clock").text == "render 1"
    assert client.get("/clock").text == "render 1"


def test_query_string_caching_keys_on_the_arguments(client: FlaskClient) -> None:
    assert client.get("/search?q=tea").text == "tea render 1"
    assert client.get("/search?q=cake").text == "cake render 2"
    assert client.get("/search?q=tea").text == "tea render 1"


def test_memoize_and_delete_memoized(client: FlaskClient) -> None:
    assert client.get("/square/3").json == {"square": 9, "computed": [3]}
    assert client.get("/square/3").json["computed"] == [3]
    assert client.get("/square/4").json["computed"] == [3, 4]
    client.post("/square/3/forget")
    assert client.get("/square/3").json["computed"] == [3, 4, 3]


def test_clear_empties_the_cache(client: FlaskClient) -> None:
    client.get("/clock")
    with client.application.app_context():
        caching_app.cache.clear()
    assert client.get("/clock").text == "render 2"
