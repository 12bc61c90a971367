"""Flask 3.1.3 as the oracle: the same cookies, the same behaviour."""

from __future__ import annotations

import re
import time
import typing as t
import uuid
from datetime import datetime
from datetime import timezone

import flask
import flask.sessions
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from markupsafe import Markup
from werkzeug.test import Client

from erlen_sessions import SecureCookieSessionInterface
from erlen_sessions import SessionMiddleware

from .conftest import FakeApp
from .conftest import FakeRequest
from .test_tag import assert_same
from .test_tag import tagged_values

iface = SecureCookieSessionInterface()
KEY = "shared secret"


def flask_app(interface: t.Any = None, **config: t.Any) -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = KEY
    app.config.update(config)

    if interface is not None:
        app.session_interface = interface

    return app


def flask_cookie(data: dict[str, t.Any], **config: t.Any) -> str:
    app = flask_app(**config)

    with app.app_context():
        s = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        return s.dumps(data)  # type: ignore[no-any-return]


def flask_reads(cookie: str, **config: t.Any) -> dict[str, t.Any]:
    app = flask_app(**config)

    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        return dict(flask.session)


special = {
    "t": (1, 2, 3),
    "b": b"\xff",
    "m": Markup("<html>"),
    "u": uuid.UUID(int=7),
    "d": datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc),
    "t_tag": {" t": "not-a-tuple"},
    "di_t_tag": {" t__": "not-a-tuple"},
    "di_tag": {" di": "not-a-dict"},
    "text": "caf\u00e9 \u2603",
}


def test_identical_cookie_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.5)
    config = {"SECRET_KEY_FALLBACKS": ["older"]}
    erlen = iface.get_signing_serializer(FakeApp(KEY, **config))
    assert erlen is not None
    assert erlen.dumps(special) == flask_cookie(special, **config)


def test_flask_cookie_read_by_erlen() -> None:
    session = iface.open_session(FakeApp(KEY), FakeRequest({"session": flask_cookie(special)}))
    assert session is not None
    assert_same(dict(session), special)


def test_erlen_cookie_read_by_flask() -> None:
    serializer = iface.get_signing_serializer(FakeApp(KEY))
    assert serializer is not None
    assert_same(flask_reads(serializer.dumps(special)), special)


def test_rotated_keys_across_frameworks() -> None:
    old = flask_cookie({"a": 1})
    rotated = FakeApp("newer", SECRET_KEY_FALLBACKS=[KEY])
    assert iface.open_session(rotated, FakeRequest({"session": old})) == {"a": 1}
    assert iface.open_session(FakeApp("newer"), FakeRequest({"session": old})) == {}


def test_middleware_and_flask_share_a_session() -> None:
    def wsgi(environ: t.Any, start_response: t.Any) -> list[bytes]:
        session = environ["erlen.session"]
        session["from"] = session.get("from", ()) + ("erlen",)
        start_response("200 OK", [])
        return [b""]

    app = flask_app()

    @app.route("/")
    def view() -> str:
        flask.session["from"] = flask.session.get("from", ()) + ("flask",)
        return ""

    erlen_client = Client(SessionMiddleware(wsgi, KEY))
    flask_client = app.test_client()
    erlen_client.get("/")
    flask_client.set_cookie("session", erlen_client.get_cookie("session").value)  # type: ignore[union-attr]
    flask_client.get("/")
    erlen_client.set_cookie("session", flask_client.get_cookie("session").value)  # type: ignore[union-attr]
    erlen_client.get("/")
    cookie = erlen_client.get_cookie("session")
    assert cookie is not None
    assert flask_reads(cookie.value) == {"from": ("erlen", "flask", "erlen")}


@settings(max_examples=50)
@given(st.dictionaries(st.text(), tagged_values, max_size=5))
def test_property_sessions_cross_over(data: dict[str, t.Any]) -> None:
    serializer = iface.get_signing_serializer(FakeApp(KEY))
    assert serializer is not None
    assert_same(flask_reads(serializer.dumps(data)), data)
    read = iface.open_session(FakeApp(KEY), FakeRequest({"session": flask_cookie(data)}))
    assert read is not None
    assert_same(dict(read), data)


# -- erlen's interface plugged into a Flask app behaves like Flask's own ----------------------

interfaces = pytest.mark.parametrize(
    "interface",
    [flask.sessions.SecureCookieSessionInterface(), iface],
    ids=["flask", "erlen"],
)


@interfaces
def test_vary_cookie(interface: t.Any) -> None:
    app = flask_app(interface)

    @app.route("/set")
    def set_session() -> str:
        flask.session["test"] = "test"
        return ""

    @app.route("/get")
    def get() -> str:
        return flask.session.get("test", "")  # type: ignore[no-any-return]

    @app.route("/clear")
    def clear() -> str:
        flask.session.clear()
        return ""

    @app.route("/nothing")
    def nothing() -> str:
        return ""

    client = app.test_client()

    for path in ("/set", "/get", "/clear"):
        assert client.get(path).headers.get_all("Vary") == ["Cookie"], path

    assert "Vary" not in client.get("/nothing").headers


@interfaces
def test_refresh_and_expiry(interface: t.Any) -> None:
    app = flask_app(interface)

    @app.route("/login")
    def login() -> str:
        flask.session["user"] = 1
        flask.session.permanent = True
        return ""

    @app.route("/ignored")
    def ignored() -> str:
        return ""

    client = app.test_client()
    assert "Expires=" in client.get("/login").headers["Set-Cookie"]
    rv = client.get("/ignored")
    assert rv.headers["Vary"] == "Cookie"
    assert "Expires=" in rv.headers["Set-Cookie"]
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    assert "Set-Cookie" not in client.get("/ignored").headers


def cookie_headers(interface: t.Any, settings: dict[str, t.Any]) -> tuple[str, str]:
    """The Set-Cookie headers of a write and of a logout, value and expiry of the first cut."""
    app = flask_app(interface, **settings)

    @app.route("/write")
    def write() -> str:
        flask.session["cart"] = [3]
        return ""

    @app.route("/logout")
    def logout() -> str:
        flask.session.clear()
        return ""

    client = app.test_client()
    written = client.get("/write", "https://shop.example.com/").headers["Set-Cookie"]
    deleted = client.get("/logout", "https://shop.example.com/").headers["Set-Cookie"]
    _, attributes = written.split(";", 1)
    return re.sub(r" Expires=[^;]*;", "", attributes), deleted


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"SESSION_COOKIE_NAME": "cart", "SESSION_COOKIE_SAMESITE": "Strict"},
        {"APPLICATION_ROOT": "/shop", "SESSION_COOKIE_HTTPONLY": False},
        {"APPLICATION_ROOT": "/shop", "SESSION_COOKIE_PATH": "/shop/cart"},
        {"SESSION_COOKIE_DOMAIN": "example.com", "SESSION_COOKIE_SECURE": True},
        {"SESSION_COOKIE_PARTITIONED": True, "SESSION_COOKIE_SECURE": True},
        {"SESSION_COOKIE_SAMESITE": "None", "PERMANENT_SESSION_LIFETIME": 60},
    ],
    ids=["defaults", "name", "root", "path", "domain", "partitioned", "lifetime"],
)
def test_cookie_attributes_as_flask_writes_them(settings: dict[str, t.Any]) -> None:
    flask_interface = flask.sessions.SecureCookieSessionInterface()
    expected = cookie_headers(flask_interface, settings)
    assert cookie_headers(iface, settings) == expected
    # Settings the oracle should not ignore either:
    name = settings.get("SESSION_COOKIE_NAME", "session")
    assert expected[1].startswith(f"{name}=;")
    assert ("HttpOnly" in expected[0]) is settings.get("SESSION_COOKIE_HTTPONLY", True)


@interfaces
def test_missing_secret_key(interface: t.Any) -> None:
    app = flask_app(interface)
    app.secret_key = None

    with app.test_request_context():
        assert flask.session.get("missing") is None

        with pytest.raises(RuntimeError, match="session is unavailable"):
            flask.session["x"] = 1


@interfaces
def test_session_transaction(interface: t.Any) -> None:
    app = flask_app(interface)

    @app.route("/")
    def index() -> str:
        return str(flask.session["foo"])

    client = app.test_client()

    with client.session_transaction() as sess:
        sess["foo"] = [42]

    assert client.get("/").text == "[42]"


@interfaces
def test_oversized_warns(interface: t.Any) -> None:
    app = flask_app(interface, MAX_COOKIE_SIZE=100)

    @app.route("/")
    def index() -> str:
        flask.session["x"] = "".join(uuid.uuid4().hex for _ in range(6))
        return ""

    with pytest.warns(UserWarning, match="too large"):
        app.test_client().get("/")
