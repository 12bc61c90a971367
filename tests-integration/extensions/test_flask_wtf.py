"""Flask-WTF, unchanged, on erlen: forms, validation and CSRF protection."""

from __future__ import annotations

import re

import flask
import pytest
import wtf_app
from flask.testing import FlaskClient

import erlen

pytestmark = pytest.mark.extension("Flask-WTF")


@pytest.fixture
def client() -> FlaskClient:
    return wtf_app.create_app().test_client()


def _token(client: FlaskClient) -> str:
    page = client.get("/name").text
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def test_the_app_is_an_erlen_app() -> None:
    assert flask.Flask is erlen.Erlen
    app = wtf_app.create_app()
    assert isinstance(app, erlen.Erlen)
    assert app.extensions["csrf"] is wtf_app.csrf


def test_post_without_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/name", data={"name": "ada"})
    assert response.status_code == 400
    assert b"The CSRF token is missing." in response.data


def test_post_with_the_token_from_the_form_is_accepted(client: FlaskClient) -> None:
    token = _token(client)
    response = client.post("/name", data={"name": "ada", "csrf_token": token})
    assert response.text == "saved ada"


def test_a_token_from_another_session_is_refused(client: FlaskClient) -> None:
    token = _token(wtf_app.create_app().test_client())
    _token(client)
    response = client.post("/name", data={"name": "ada", "csrf_token": token})
    assert response.status_code == 400
    assert b"The CSRF tokens do not match." in response.data


def test_the_token_in_a_header_and_validation_errors(client: FlaskClient) -> None:
    token = _token(client)
    response = client.post(
        "/name", data={"name": "far too long a name"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert "Field cannot be longer than 10 characters." in response.text


def test_an_exempt_view_needs_no_token(client: FlaskClient) -> None:
    assert client.post("/api/ping").text == "pong"
