"""Cross-site request forgery: state-changing requests without the session's token fail."""

from __future__ import annotations

from typing import Any

import pytest

from blog.db import get_db


def test_every_form_carries_the_token(browser: Any) -> None:
    token = browser.token()
    for path in ("/auth/register", "/auth/login"):
        assert f'name="csrf_token" value="{token}"' in browser.client.get(path).get_data(True)
    browser.sign_in()
    post_id = browser.write()
    token = browser.token()
    for path in ("/", "/posts/new", f"/posts/{post_id}", f"/posts/{post_id}/edit"):
        page = browser.client.get(path).get_data(as_text=True)
        assert f'<meta name="csrf-token" content="{token}">' in page
        assert f'name="csrf_token" value="{token}"' in page


def test_token_lasts_the_session_and_is_renewed_at_login(browser: Any) -> None:
    before = browser.token()
    assert browser.token() == before
    browser.sign_in()
    assert browser.token() != before


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_post_without_the_right_token_is_refused(app: Any, client: Any, token: Any) -> None:
    client.get("/auth/register")
    form = {"username": "mallory", "password": "x"}
    if token is not None:
        form["csrf_token"] = token
    response = client.post("/auth/register", data=form)
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0] == 0


def test_a_token_from_another_session_is_refused(app: Any, browser: Any) -> None:
    stolen = browser.token()
    victim = app.test_client()
    victim.get("/")
    response = victim.post(
        "/auth/register", data={"username": "v", "password": "x", "csrf_token": stolen}
    )
    assert response.status_code == 400


def test_forged_logout_and_delete_change_nothing(app: Any, browser: Any) -> None:
    browser.sign_in()
    post_id = browser.write()
    assert browser.client.post("/auth/logout").status_code == 400
    assert browser.client.post(f"/posts/{post_id}/delete").status_code == 400
    page = browser.client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "Log out" in page
    assert "<h1>First light</h1>" in page


def test_header_token_is_accepted(browser: Any) -> None:
    token = browser.token()
    response = browser.client.post(
        "/auth/register",
        data={"username": "ada", "password": "x"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 302


@pytest.mark.options(csrf_enabled=False)
def test_check_can_be_turned_off(client: Any) -> None:
    response = client.post("/auth/register", data={"username": "ada", "password": "x"})
    assert response.status_code == 302
