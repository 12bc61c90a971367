"""Flask-RESTful, unchanged, on erlen: resources, parsing, marshalling and JSON errors."""

from __future__ import annotations

import flask
import pytest
import restful_app
from flask.testing import FlaskClient

import erlen

pytestmark = pytest.mark.extension("Flask-RESTful")


@pytest.fixture
def client() -> FlaskClient:
    return restful_app.create_app().test_client()


def test_the_app_is_an_erlen_app() -> None:
    assert flask.Flask is erlen.Erlen
    assert isinstance(restful_app.create_app(), erlen.Erlen)


def test_post_parses_and_marshals_then_get_lists(client: FlaskClient) -> None:
    created = client.post("/todos", json={"task": "write tests", "extra": "ignored"})
    assert created.status_code == 201
    assert created.headers["Location"] == "/todos/1"
    assert created.json == {"id": 1, "task": "write tests", "done": False}
    assert client.get("/todos").json == [{"id": 1, "task": "write tests", "done": False}]
    assert client.get("/todos/1").json["task"] == "write tests"


def test_missing_argument_is_a_400_with_the_help_message(client: FlaskClient) -> None:
    response = client.post("/todos", json={"done": True})
    assert response.status_code == 400
    assert response.json == {"message": {"task": "task is required"}}


def test_abort_in_a_resource_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/todos/7")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.json["message"].startswith("todo 7 does not exist")


def test_delete_then_gone(client: FlaskClient) -> None:
    client.post("/todos", json={"task": "x"})
    assert client.delete("/todos/1").status_code == 204
    assert client.get("/todos/1").status_code == 404


def test_a_wrong_method_on_a_resource_is_a_json_405(client: FlaskClient) -> None:
    not_allowed = client.put("/todos")
    assert not_allowed.status_code == 405
    assert not_allowed.mimetype == "application/json"
    assert "not allowed" in not_allowed.json["message"]
    # A path outside every resource is the app's own HTML 404, as on Flask.
    unknown = client.get("/nothing-here")
    assert unknown.status_code == 404
    assert unknown.mimetype == "text/html"
