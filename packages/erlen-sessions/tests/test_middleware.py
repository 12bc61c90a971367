from __future__ import annotations

import random
import sys
import typing as t
from datetime import timedelta

import pytest
from werkzeug.test import Client
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from erlen_sessions import NullSession
from erlen_sessions import SecureCookieSession
from erlen_sessions import SecureCookieSessionInterface
from erlen_sessions import SessionInterface
from erlen_sessions import SessionMiddleware
from erlen_sessions import SessionMixin
from erlen_sessions.middleware import DEFAULT_CONFIG
from erlen_sessions.server import ServerSessionInterface
from erlen_sessions.stores import MemoryStore

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

Handler = t.Callable[[SessionMixin, Request], str]


def make_app(handler: Handler, **kwargs: t.Any) -> SessionMiddleware:
    """A werkzeug application whose view gets the session and request."""

    @Request.application
    def wsgi(request: Request) -> Response:
        session = request.environ[kwargs.get("environ_key", "erlen.session")]
        return Response(handler(session, request))

    kwargs.setdefault("secret_key", "secret")
    return SessionMiddleware(wsgi, **kwargs)


def login(session: SessionMixin, request: Request) -> str:
    session["user"] = request.args.get("user", "alice")
    session.permanent = "permanent" in request.args
    return "ok"


def whoami(session: SessionMixin, request: Request) -> str:
    return str(session.get("user"))


def nothing(session: SessionMixin, request: Request) -> str:
    return "nothing"


def routes(**views: Handler) -> Handler:
    def dispatch(session: SessionMixin, request: Request) -> str:
        return views[request.path.strip("/")](session, request)

    return dispatch


def test_round_trip() -> None:
    client = Client(make_app(routes(login=login, whoami=whoami)))
    assert client.get("/whoami").text == "None"
    rv = client.get("/login")
    assert rv.headers["Vary"] == "Cookie"
    assert "Expires" not in rv.headers["Set-Cookie"]
    rv = client.get("/whoami")
    assert rv.text == "alice"
    assert rv.headers["Vary"] == "Cookie"
    assert "Set-Cookie" not in rv.headers


def test_untouched_session_costs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(routes(login=login, nothing=nothing))
    client = Client(app)
    client.get("/login")
    interface = SecureCookieSessionInterface()
    opened: list[object] = []

    def spy(*args: t.Any) -> t.Any:
        opened.append(args)
        return SecureCookieSessionInterface.open_session(interface, *args)

    monkeypatch.setattr(interface, "open_session", spy)
    app.session_interface = interface
    rv = client.get("/nothing")
    assert rv.text == "nothing"
    assert "Set-Cookie" not in rv.headers
    assert "Vary" not in rv.headers
    assert opened == []
    assert client.get_cookie("session") is not None


def test_untouched_permanent_session_is_refreshed() -> None:
    app = make_app(routes(login=login, nothing=nothing))
    client = Client(app)
    first = client.get("/login?permanent").headers["Set-Cookie"]
    assert "Expires=" in first
    rv = client.get("/nothing")
    assert "Expires=" in rv.headers["Set-Cookie"]
    assert rv.headers["Vary"] == "Cookie"

    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    assert "Set-Cookie" not in client.get("/nothing").headers


def test_bad_cookies_read_as_empty() -> None:
    client = Client(make_app(whoami))

    for value in ("garbage", "a.b.c", "eyJ1c2VyIjoiYm9iIn0.Zz.sig", "x" * 4000):
        client.set_cookie("session", value)
        rv = client.get("/")
        assert rv.status_code == 200
        assert rv.text == "None"


def test_non_utf8_cookie_header() -> None:
    environ = EnvironBuilder().get_environ()
    # WSGI hands header bytes over as latin-1 text.
    environ["HTTP_COOKIE"] = b"session=\xff\xfe.\x80; other=1".decode("latin-1")
    statuses: list[str] = []

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        statuses.append(status)
        return lambda data: None

    body = b"".join(make_app(whoami)(environ, start_response))
    assert body == b"None"
    assert statuses == ["200 OK"]


def test_emptying_deletes_cookie() -> None:
    def logout(session: SessionMixin, request: Request) -> str:
        session.clear()
        return "bye"

    client = Client(make_app(routes(login=login, logout=logout)))
    client.get("/login")
    rv = client.get("/logout")
    assert rv.headers["Set-Cookie"].startswith("session=;")
    assert client.get_cookie("session") is None


def test_without_secret_key() -> None:
    seen: list[object] = []

    def write(session: SessionMixin, request: Request) -> str:
        seen.append(session.__class__)
        assert session.get("x") is None
        session["x"] = 1
        return "unreachable"

    client = Client(make_app(write, secret_key=None))

    with pytest.raises(RuntimeError, match="session is unavailable"):
        client.get("/")

    assert seen == [NullSession]
    rv = Client(make_app(whoami, secret_key=None)).get("/")
    assert rv.text == "None"
    assert "Set-Cookie" not in rv.headers


def test_settings() -> None:
    app = make_app(
        login,
        config={
            "SESSION_COOKIE_NAME": "sid",
            "SESSION_COOKIE_SECURE": True,
            "SESSION_COOKIE_SAMESITE": "Strict",
            "PERMANENT_SESSION_LIFETIME": 60,
        },
    )
    assert app.permanent_session_lifetime == timedelta(seconds=60)
    assert app.secret_key == "secret"
    cookie = Client(app).get("/?permanent").headers["Set-Cookie"]
    assert cookie.startswith("sid=")
    assert "Secure" in cookie and "SameSite=Strict" in cookie and "Max-Age" not in cookie
    assert DEFAULT_CONFIG["SESSION_COOKIE_NAME"] == "session"


def test_secret_key_in_config() -> None:
    app = make_app(login, secret_key=None, config={"SECRET_KEY": "k"})
    assert app.secret_key == "k"
    assert "Set-Cookie" in Client(app).get("/").headers


def test_unknown_setting_is_an_error() -> None:
    with pytest.raises(
        ValueError,
        match="'SESSION_COOKIE_SAMSITE' is not a session setting.*SESSION_COOKIE_SAMESITE",
    ):
        make_app(login, config={"SESSION_COOKIE_SAMSITE": "Lax"})


@pytest.mark.parametrize(
    "interface",
    [SecureCookieSessionInterface, lambda: ServerSessionInterface(MemoryStore())],
    ids=["cookie", "server"],
)
def test_key_rotation(interface: t.Callable[[], SessionInterface]) -> None:
    views = routes(login=login, whoami=whoami)
    app = make_app(views, secret_key="old", session_interface=interface())
    client = Client(app)
    client.get("/login")
    app.config["SECRET_KEY"] = "new"
    assert client.get("/whoami").text == "None"
    app.config["SECRET_KEY_FALLBACKS"] = ["old"]
    assert client.get("/whoami").text == "alice"


def test_custom_environ_key() -> None:
    app = make_app(login, environ_key="my.session")
    assert "Set-Cookie" in Client(app).get("/").headers


def test_session_proxy_behaves_like_the_session() -> None:
    def inspect(session: SessionMixin, request: Request) -> str:
        assert isinstance(session, SecureCookieSession)
        assert session.accessed
        assert not session.modified
        session["items"] = []
        session.modified = False
        session["items"].append(1)
        assert not session.modified
        session.modified = True
        return "ok"

    client = Client(make_app(routes(inspect=inspect, whoami=whoami)))
    assert client.get("/inspect").text == "ok"
    assert "Set-Cookie" in client.get("/inspect").headers


def test_eager_interface_is_opened_at_request_start() -> None:
    calls: list[str] = []

    class Recording(SessionInterface):
        def open_session(self, app: t.Any, request: t.Any) -> SessionMixin | None:
            calls.append("open")
            return SecureCookieSession()

        def save_session(self, app: t.Any, session: SessionMixin, response: t.Any) -> None:
            calls.append(f"save accessed={session.accessed}")
            response.headers["X-Saved"] = "1"

    rv = Client(make_app(nothing, session_interface=Recording())).get("/")
    assert calls == ["open", "save accessed=False"]
    assert rv.headers["X-Saved"] == "1"
    assert "Content-Type" in rv.headers


def test_headers_untouched_without_content_type() -> None:
    def bare(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        environ["erlen.session"]["a"] = 1
        start_response("204 No Content", [("X-A", "1")])
        return []

    rv = Client(SessionMiddleware(bare, "secret")).get("/")
    assert rv.status_code == 204
    assert "Content-Type" not in rv.headers
    assert rv.headers["X-A"] == "1"
    assert "Set-Cookie" in rv.headers


def test_error_start_response_is_passed_on() -> None:
    received: list[t.Any] = []

    def failing(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        environ["erlen.session"]["a"] = 1
        start_response("200 OK", [])

        try:
            raise KeyError("boom")
        except KeyError:
            start_response("500 INTERNAL SERVER ERROR", [], sys.exc_info())

        return [b"error"]

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        received.append((status, [name for name, _ in headers], exc_info and exc_info[0]))
        return lambda data: None

    app = SessionMiddleware(failing, "secret")
    assert list(app(EnvironBuilder().get_environ(), start_response)) == [b"error"]
    assert received == [
        ("200 OK", ["Vary", "Set-Cookie"], None),
        ("500 INTERNAL SERVER ERROR", ["Vary", "Set-Cookie"], KeyError),
    ]


def test_body_is_left_for_the_application() -> None:
    def echo(session: SessionMixin, request: Request) -> str:
        session["seen"] = True
        return request.get_data(as_text=True)

    rv = Client(make_app(echo)).post("/", data="payload")
    assert rv.text == "payload"


def test_oversized_cookie_warns() -> None:
    def big(session: SessionMixin, request: Request) -> str:
        session["blob"] = random.Random(0).randbytes(4000)
        return "ok"

    with pytest.warns(UserWarning, match="cookie is too large"):
        Client(make_app(big)).get("/")

    app = make_app(big, config={"MAX_COOKIE_SIZE": 0})
    assert "Set-Cookie" in Client(app).get("/").headers
