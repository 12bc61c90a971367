"""Signed-cookie sessions for any WSGI application.

:class:`SessionMiddleware` wraps a WSGI callable and puts the request's session in the environ
(under ``"erlen.session"`` by default). The session is loaded on first use, and written back as
a ``Set-Cookie`` header when the application calls ``start_response``: a request that never
touches it costs nothing beyond a dict entry. It takes the same settings as a Flask application
(``SESSION_COOKIE_NAME``, ``SECRET_KEY_FALLBACKS``, ``PERMANENT_SESSION_LIFETIME``, ...) and,
with the same secret key, reads and writes the same cookies.
"""

from __future__ import annotations

import typing as t
from datetime import timedelta

from werkzeug.local import LocalProxy
from werkzeug.sansio.response import Response
from werkzeug.wrappers import Request

from .sessions import SecureCookieSessionInterface
from .sessions import SessionInterface
from .sessions import SessionMixin

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

#: The settings :class:`SessionMiddleware` understands, with Flask's defaults.
DEFAULT_CONFIG: t.Mapping[str, t.Any] = {
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": None,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "APPLICATION_ROOT": "/",
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_PARTITIONED": False,
    "SESSION_COOKIE_SAMESITE": None,
    "SESSION_REFRESH_EACH_REQUEST": True,
    "MAX_COOKIE_SIZE": 4093,
}


class _HeadersResponse(Response):
    """A response made of the status and headers the application passed to ``start_response``,
    so the session interface can set cookies and ``Vary`` on them.
    """

    default_mimetype = None


class SessionMiddleware:
    """Give a WSGI application a session, kept in a signed cookie.

    The application finds the session, a mapping with the attributes of
    :class:`~erlen_sessions.SessionMixin`, at ``environ[environ_key]``. Change it before calling
    ``start_response``: the cookie is written then.

    :param app: The WSGI application to wrap.
    :param secret_key: The key that signs cookies; the same as ``config["SECRET_KEY"]``. Without
        one, the session is a read-only :class:`~erlen_sessions.NullSession`.
    :param config: Settings to change from :data:`DEFAULT_CONFIG`, by the same names as in a
        Flask application's config.
    :param session_interface: The backend; a :class:`~erlen_sessions.SecureCookieSessionInterface`
        by default.
    :param environ_key: Where in the environ the application finds the session.
    :raise ValueError: If ``config`` has a name the middleware does not know.
    """

    #: The backend used when none is given.
    session_interface: SessionInterface = SecureCookieSessionInterface()

    def __init__(
        self,
        app: WSGIApplication,
        secret_key: str | bytes | None = None,
        *,
        config: t.Mapping[str, t.Any] | None = None,
        session_interface: SessionInterface | None = None,
        environ_key: str = "erlen.session",
    ) -> None:
        unknown = set(config or ()) - DEFAULT_CONFIG.keys()

        if unknown:
            raise ValueError(
                f"Unknown session settings {sorted(unknown)}. Known settings are:"
                f" {', '.join(DEFAULT_CONFIG)}."
            )

        #: The wrapped WSGI application.
        self.wsgi_app = app
        #: The settings in force, read by the session interface on every request.
        self.config: dict[str, t.Any] = {**DEFAULT_CONFIG, **(config or {})}

        if secret_key is not None:
            self.config["SECRET_KEY"] = secret_key

        if session_interface is not None:
            self.session_interface = session_interface

        #: The environ key the session is stored under.
        self.environ_key = environ_key

    @property
    def secret_key(self) -> str | bytes | None:
        """The ``SECRET_KEY`` setting."""
        return self.config["SECRET_KEY"]  # type: ignore[no-any-return]

    @property
    def permanent_session_lifetime(self) -> timedelta:
        """The ``PERMANENT_SESSION_LIFETIME`` setting; an int counts seconds."""
        value = self.config["PERMANENT_SESSION_LIFETIME"]

        if isinstance(value, int):
            return timedelta(seconds=value)

        return value  # type: ignore[no-any-return]

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        """Run the application with a session in its environ."""
        state = _RequestSession(self, environ)

        if not self.session_interface.lazy_open:
            state.open()

        environ[self.environ_key] = LocalProxy(state.use)

        def start_with_session(
            status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
        ) -> t.Callable[[bytes], object]:
            return start_response(status, state.save(status, headers), exc_info)

        return self.wsgi_app(environ, start_with_session)


class _RequestSession:
    """One request's session: opened at most once, on first use or when saving needs it."""

    __slots__ = ("middleware", "environ", "session", "_request")

    def __init__(self, middleware: SessionMiddleware, environ: WSGIEnvironment) -> None:
        self.middleware = middleware
        self.environ = environ
        self.session: SessionMixin | None = None
        self._request: Request | None = None

    @property
    def request(self) -> Request:
        if self._request is None:
            # Shallow: the session never reads the body the application may need.
            self._request = Request(self.environ, populate_request=False, shallow=True)

        return self._request

    def open(self) -> SessionMixin:
        if self.session is None:
            interface = self.middleware.session_interface
            session = interface.open_session(self.middleware, self.request)

            if session is None:
                session = interface.make_null_session(self.middleware)

            self.session = session

        return self.session

    def use(self) -> SessionMixin:
        session = self.open()
        session.accessed = True
        return session

    def save(self, status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        interface = self.middleware.session_interface

        if self.session is None and interface.should_open_for_save(self.middleware, self.request):
            self.open()

        session = self.session

        if session is None or interface.is_null_session(session):
            return headers

        response = _HeadersResponse(status, headers)
        response.max_cookie_size = self.middleware.config["MAX_COOKIE_SIZE"]
        interface.save_session(self.middleware, session, response)
        return response.headers.to_wsgi_list()
