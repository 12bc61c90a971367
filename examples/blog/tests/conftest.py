"""Fixtures for the blog's tests. erlen's pytest plugin builds ``client`` and ``runner`` on
``app``; each test gets its own database file under ``tmp_path``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from blog import create_app
from blog.db import get_db
from erlen import Erlen

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(tmp_path: Any) -> Erlen:
    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE": str(tmp_path / "db")})


def csrf_token(client: Any, page: str = "/auth/login") -> str:
    """Read the CSRF token from a form, as a browser has it."""
    match = _TOKEN.search(client.get(page).get_data(as_text=True))
    assert match is not None, f"no CSRF field on {page}"
    return match.group(1)


class Browser:
    """The test client with the manners of a browser: every POST carries the form's token."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def token(self) -> str:
        return csrf_token(self.client)

    def post(self, path: str, query_string: dict[str, str] | None = None, **form: str) -> Any:
        data = {"csrf_token": self.token(), **form}
        return self.client.post(path, query_string=query_string, data=data)

    def register(self, username: str = "ada", password: str = "lovelace") -> Any:
        return self.post("/auth/register", username=username, password=password)

    def login(self, username: str = "ada", password: str = "lovelace") -> Any:
        return self.post("/auth/login", username=username, password=password)

    def logout(self) -> Any:
        return self.post("/auth/logout")

    def sign_in(self, username: str = "ada", password: str = "lovelace") -> None:
        """Register, which logs the new user in, asserting it worked."""
        assert self.register(username, password).status_code == 302

    def create_account(self, username: str = "ada", password: str = "lovelace") -> None:
        """Register, then log out: an account that is not logged in."""
        self.sign_in(username, password)
        assert self.logout().status_code == 302

    def write(self, title: str = "First light", body: str = "Hello, blog.") -> int:
        """Publish a post; return its id from the redirect to its page."""
        response = self.post("/posts/new", title=title, body=body)
        assert response.status_code == 302, response.get_data(as_text=True)
        return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def browser(client: Any) -> Browser:
    return Browser(client)


@pytest.fixture
def other(app: Erlen) -> Browser:
    """A second user, grace, logged in from a browser of her own."""
    grace = Browser(app.test_client())
    grace.sign_in("grace", "hopper")
    return grace


@pytest.fixture
def publish_many(app: Erlen) -> Callable[[int], None]:
    """Store posts by one author straight in the database, "Post 0" the oldest."""

    def publish(count: int) -> None:
        with app.app_context(), get_db() as db:
            db.execute("INSERT INTO user (username, password_hash) VALUES ('bulk', '-')")
            db.executemany(
                "INSERT INTO post (title, body, author_id) VALUES (?, 'text', 1)",
                [(f"Post {n}",) for n in range(count)],
            )

    return publish
