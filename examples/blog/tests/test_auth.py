"""Registering, logging in and out, and pages that need a user."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.security import check_password_hash

from blog.db import get_db


def test_register_stores_a_password_hash_and_logs_in(app: Any, browser: Any) -> None:
    response = browser.register("ada", "lovelace")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with app.app_context():
        user = get_db().execute("SELECT * FROM user WHERE username = 'ada'").fetchone()
    assert user["password_hash"] != "lovelace"
    assert check_password_hash(user["password_hash"], "lovelace")
    page = browser.client.get("/").get_data(as_text=True)
    assert "Welcome, ada! You are logged in" in page
    # Logged in: the page to write a post opens instead of sending to the login form.
    assert browser.client.get("/posts/new").status_code == 200


def test_register_starts_a_fresh_session(browser: Any) -> None:
    with browser.client.session_transaction() as before:
        before["planted"] = "by someone else"
    browser.register("ada", "lovelace")
    with browser.client.session_transaction() as after:
        assert "planted" not in after
        assert after["user_id"] == 1


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "secret", "Choose a username."),
        ("   ", "secret", "Choose a username."),
        ("ada", "", "Choose a password."),
    ],
)
def test_register_refuses_missing_fields(
    browser: Any, username: str, password: str, message: str
) -> None:
    response = browser.register(username, password)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_register_refuses_a_taken_name(browser: Any) -> None:
    browser.register("ada", "one")
    response = browser.register("ada", "two")
    assert response.status_code == 400
    assert "The name &#39;ada&#39; is taken" in response.get_data(as_text=True)


def test_login_sets_the_session_and_shows_the_user(browser: Any) -> None:
    browser.create_account()
    response = browser.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with browser.client.session_transaction() as session:
        assert session["user_id"] == 1
    page = browser.client.get("/").get_data(as_text=True)
    assert "Logged in as ada." in page
    assert '<span class="who">ada</span>' in page
    assert "Log out" in page


@pytest.mark.parametrize(("username", "password"), [("ada", "wrong"), ("nobody", "lovelace")])
def test_login_refuses_bad_credentials_alike(browser: Any, username: str, password: str) -> None:
    browser.create_account()
    response = browser.login(username, password)
    assert response.status_code == 400
    assert "Wrong username or password." in response.get_data(as_text=True)
    with browser.client.session_transaction() as session:
        assert "user_id" not in session


def test_login_returns_to_the_page_asked_for(browser: Any) -> None:
    browser.create_account()
    response = browser.client.get("/posts/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=/posts/new")
    form = {"username": "ada", "password": "lovelace"}
    response = browser.post("/auth/login", query_string={"next": "/posts/new"}, **form)
    assert response.headers["Location"] == "/posts/new"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_login_never_redirects_off_site(browser: Any, target: str) -> None:
    browser.create_account()
    form = {"username": "ada", "password": "lovelace"}
    response = browser.post("/auth/login", query_string={"next": target}, **form)
    assert response.headers["Location"] == "/"


def test_logout_clears_the_session(browser: Any) -> None:
    browser.sign_in()
    response = browser.logout()
    assert response.status_code == 302
    with browser.client.session_transaction() as session:
        assert "user_id" not in session
    assert "Log in" in browser.client.get("/").get_data(as_text=True)


def test_logout_is_not_a_get(client: Any) -> None:
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "405 Method Not Allowed" in response.get_data(as_text=True)


def test_deleted_user_reads_as_a_visitor(app: Any, browser: Any) -> None:
    browser.sign_in()
    with app.app_context(), get_db() as db:
        db.execute("DELETE FROM user")
    page = browser.client.get("/").get_data(as_text=True)
    assert "Log in" in page
    assert "Log out" not in page
