"""SESSION_BACKEND switches an app to server-side sessions; a store that is down answers 503."""

from __future__ import annotations

import logging
import pathlib
import typing as t

import pytest

from erlen_context import session
from erlen_core import Erlen
from erlen_core.app import COOKIE_SESSIONS
from erlen_sessions import MemoryStore
from erlen_sessions import SecureCookieSessionInterface
from erlen_sessions import ServerSessionInterface
from erlen_sessions import StoreUnavailable


def make_app(**config: t.Any) -> Erlen:
    app = Erlen("sessions", root_path="/nonexistent")
    app.config.update(SECRET_KEY="backend tests", **config)

    @app.post("/login/<name>")
    def login(name: str) -> str:
        session["user"] = name
        return "ok"

    @app.get("/whoami")
    def whoami() -> str:
        return str(session.get("user", "nobody"))

    return app


def test_cookie_sessions_by_default() -> None:
    app = make_app()
    assert app.session_interface is COOKIE_SESSIONS
    assert type(app.session_interface) is SecureCookieSessionInterface


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_the_config_moves_sessions_to_the_server(backend: str, tmp_path: pathlib.Path) -> None:
    app = make_app(SESSION_BACKEND=backend, SESSION_SQLITE_PATH=tmp_path / "sessions.db")
    assert isinstance(app.session_interface, ServerSessionInterface)
    assert app.session_interface is app.session_interface  # made once
    client = app.test_client()
    set_cookie = client.post("/login/ada").headers["Set-Cookie"]
    assert "ada" not in set_cookie  # the cookie holds a signed id, not the data
    assert client.get("/whoami").data == b"ada"
    if backend == "sqlite":
        assert (tmp_path / "sessions.db").exists()


def test_the_config_changed_after_requests_moves_sessions() -> None:
    app = make_app()
    client = app.test_client()
    client.post("/login/ada")
    assert client.get("/whoami").data == b"ada"
    app.config["SESSION_BACKEND"] = "memory"
    assert client.get("/whoami").data == b"nobody"  # the cookie session is not read any more
    set_cookie = client.post("/login/bob").headers["Set-Cookie"]
    assert "bob" not in set_cookie
    assert client.get("/whoami").data == b"bob"


def test_an_assigned_interface_wins_over_the_config() -> None:
    app = make_app(SESSION_BACKEND="memory")
    mine = SecureCookieSessionInterface()
    app.session_interface = mine
    assert app.session_interface is mine


class DownStore(MemoryStore):
    """A store that fails to save, as a Redis server that went away."""

    def save(self, sid: str, data: str, lifetime: int, user: str | None) -> None:
        raise StoreUnavailable("the session server does not answer")


def test_a_store_that_fails_on_save_answers_503(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app()
    app.session_interface = ServerSessionInterface(DownStore())
    with caplog.at_level(logging.ERROR):
        answer = app.test_client().post("/login/ada")
    assert answer.status_code == 503
    assert b"session store is unavailable" in answer.data
    assert "Set-Cookie" not in answer.headers
    assert [record.exc_info for record in caplog.records] == [None]
    assert "does not answer" in caplog.records[0].getMessage()


def test_an_unknown_backend_says_which_exist() -> None:
    app = make_app(SESSION_BACKEND="files")
    with pytest.raises(ValueError, match="SESSION_BACKEND is 'files'"):
        app.session_interface  # noqa: B018
