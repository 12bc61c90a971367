"""Sessions are saved as Flask saves them, and untouched sessions cost nothing."""

from __future__ import annotations

import typing as t

from erlen_context.globals import session
from erlen_core import Erlen


def _cookie_app(app: Erlen) -> Erlen:
    @app.route("/set")
    def set_value() -> str:
        session["n"] = 1
        return "set"

    @app.route("/permanent")
    def permanent() -> str:
        session.permanent = True
        session["n"] = 2
        return "permanent"

    @app.route("/read")
    def read() -> str:
        return str(session.get("n"))

    @app.route("/none")
    def untouched() -> str:
        return "none"

    return app


def test_untouched_session_sets_no_cookie_and_no_vary(app: Erlen) -> None:
    client = _cookie_app(app).test_client()
    rv = client.get("/none")
    assert "Set-Cookie" not in rv.headers
    assert "Vary" not in rv.headers


def test_set_and_read_session(app: Erlen) -> None:
    client = _cookie_app(app).test_client()
    rv = client.get("/set")
    assert "session=" in rv.headers["Set-Cookie"]
    rv = client.get("/read")
    assert rv.data == b"1"
    assert rv.headers["Vary"] == "Cookie"
    # Not permanent: an unused session is not sent again.
    assert "Set-Cookie" not in client.get("/none").headers


def test_permanent_session_refreshed_without_use(app: Erlen) -> None:
    client = _cookie_app(app).test_client()
    client.get("/permanent")
    rv = client.get("/none")
    assert "session=" in rv.headers["Set-Cookie"]
    assert rv.headers["Vary"] == "Cookie"
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    assert "Set-Cookie" not in client.get("/none").headers


def test_other_cookies_do_not_open_the_session(app: Erlen) -> None:
    opened: list[bool] = []
    interface = type(app.session_interface)

    class Counting(interface):  # type: ignore[misc, valid-type]
        lazy_open = True

        def open_session(self, app: t.Any, request: t.Any) -> t.Any:
            opened.append(True)
            return super().open_session(app, request)

    app.session_interface = Counting()
    client = _cookie_app(app).test_client()
    client.set_cookie("other", "value")
    client.get("/none")
    assert opened == []
    client.get("/read")
    assert opened == [True]


def test_null_session_without_secret_key(app: Erlen) -> None:
    app.secret_key = None
    client = _cookie_app(app).test_client()
    client.set_cookie("session", "anything")
    rv = client.get("/none")
    assert "Set-Cookie" not in rv.headers


def test_eager_custom_interface_is_always_saved(app: Erlen) -> None:
    saved: list[t.Any] = []
    base = type(app.session_interface)

    class Eager(base):  # type: ignore[misc, valid-type]
        lazy_open = False

        def save_session(self, app: t.Any, session: t.Any, response: t.Any) -> None:
            saved.append(session)

    app.session_interface = Eager()
    _cookie_app(app).test_client().get("/none")
    assert len(saved) == 1


def test_used_null_session_is_not_saved(app: Erlen) -> None:
    app.secret_key = None
    rv = _cookie_app(app).test_client().get("/read")
    assert rv.data == b"None"
    assert "Set-Cookie" not in rv.headers
