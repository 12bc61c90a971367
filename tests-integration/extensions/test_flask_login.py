"""Flask-Login, unchanged, on erlen: sign in, protected pages, remember-me, sign out."""

from __future__ import annotations

import flask
import login_app
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import erlen

pytestmark = pytest.mark.extension("Flask-Login")


@pytest.fixture
def client() -> FlaskClient:
    return login_app.create_app().test_client()


def _log_in(
    client: FlaskClient, name: str = "ada", password: str = "lovelace", **extra: str
) -> TestResponse:
    return client.post("/login", data={"name": name, "password": password, **extra})


def test_the_app_is_an_erlen_app() -> None:
    app = login_app.create_app()
    assert flask.Flask is erlen.Erlen
    assert isinstance(app, erlen.Erlen)
    assert app.login_manager.login_view == "login"


def test_anonymous_user_is_sent_to_the_login_view_with_next(client: FlaskClient) -> None:
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fprofile"
    assert client.get("/whoami").text == "anonymous"


def test_login_then_protected_page_and_next_redirect(client: FlaskClient) -> None:
    response = client.post("/login?next=/whoami", data={"name": "alan", "password": "turing"})
    assert response.headers["Location"] == "/whoami"
    assert client.get("/profile").text == "hello alan"
    with client.session_transaction() as session:
        assert session["_user_id"] == "2"


def test_wrong_password_does_not_log_in(client: FlaskClient) -> None:
    assert _log_in(client, password="guess").status_code == 401
    assert client.get("/profile").status_code == 302


def test_logout_forgets_the_user(client: FlaskClient) -> None:
    _log_in(client)
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/whoami").text == "anonymous"


def test_remember_me_cookie_logs_in_a_new_session(client: FlaskClient) -> None:
    _log_in(client, remember="yes")
    remember = client.get_cookie("remember_token")
    assert remember is not None
    fresh = login_app.create_app().test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/profile").text == "hello ada"
