"""Signed-cookie sessions for any WSGI application.

:class:`SessionMiddleware` wraps a WSGI callable and puts the request's session in the environ
(under ``"erlen.session"`` by default). The session is loaded on first use and written back as a
``Set-Cookie`` header when the application calls ``start_response``: a request that never touches
it costs a dict entry and nothing more. The middleware takes a Flask application's session
settings (``SESSION_COOKIE_NAME``, ``SECRET_KEY_FALLBACKS``, ``PERMANENT_SESSION_LIFETIME``, ...)
and, with the same secret key, reads and writes the same cookies.
"""

from __future__ import annotations

import sys
import typing as t
from datetime import timedelta
from types import MappingProxyType

from werkzeug.local import LocalProxy
from werkzeug.sansio.http import parse_cookie
from werkzeug.sansio.response import Response

from .server import SessionUnavailable
from .sessions import SecureCookieSessionInterface
from .sessions import SessionInterface
from .sessions import SessionMixin

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment


class SessionSettings:
    """The settings :class:`SessionMiddleware` reads, by their names in a Flask application's
    config, each with Flask's default. :data:`DEFAULT_CONFIG` holds them as a mapping.
    """

    #: The key that signs new cookies. Without one, sessions cannot be changed.
    SECRET_KEY: str | bytes | None = None
    #: Older keys that still verify cookies, oldest first.
    SECRET_KEY_FALLBACKS: list[str | bytes] | None = None
    #: How long a permanent session lives, and the oldest signature accepted (an int counts
    #: seconds).
    PERMANENT_SESSION_LIFETIME: timedelta | int = timedelta(days=31)
    #: The cookie path when ``SESSION_COOKIE_PATH`` is not set.
    APPLICATION_ROOT: str = "/"
    SESSION_COOKIE_NAME: str = "session"
    SESSION_COOKIE_DOMAIN: str | None = None
    SESSION_COOKIE_PATH: str | None = None
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SECURE: bool = False
    SESSION_COOKIE_PARTITIONED: bool = False
    #: ``"Strict"``, ``"Lax"``, ``"None"``, or ``None`` for no ``SameSite`` attribute.
    SESSION_COOKIE_SAMESITE: str | None = None
    #: Whether a permanent session's cookie is sent again, with a new expiry, on every request.
    SESSION_REFRESH_EACH_REQUEST: bool = True
    #: Larger ``Set-Cookie`` headers make werkzeug warn; 0 turns the warning off.
    MAX_COOKIE_SIZE: int = 4093


#: Flask's defaults for every setting :class:`SessionMiddleware` reads, from
#: :class:`SessionSettings`. Each middleware starts from a copy.
DEFAULT_CONFIG: t.Mapping[str, t.Any] = MappingProxyType(
    {name: getattr(SessionSettings, name) for name in SessionSettings.__annotations__}
)


class _HeadersResponse(Response):
    """The status and headers the application passed to ``start_response``, as a response the
    session interface can set cookies and ``Vary`` on.
    """

    default_mimetype = None


class SessionMiddleware:
    """Give a WSGI application a session, kept in a signed cookie.

    The application finds the session, a mapping with the attributes of
    :class:`~erlen_sessions.SessionMixin`, at ``environ[environ_key]``. It changes it before it
    calls ``start_response``: that is when the cookie is written.

    :param app: The WSGI application to wrap.
    :param secret_key: The key that signs cookies, the same as ``config["SECRET_KEY"]``. Without
        one, the session is a read-only :class:`~erlen_sessions.NullSession`.
    :param config: Settings that differ from :data:`DEFAULT_CONFIG`, by their names in a Flask
        application's config.
    :param session_interface: The backend; a :class:`~erlen_sessions.SecureCookieSessionInterface`
        when not given.
    :param environ_key: Where in the environ the application finds the session.
    :raise ValueError: If ``config`` names a setting the middleware does not know.
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
        settings: dict[str, t.Any] = {**DEFAULT_CONFIG}
        for name, value in (config or {}).items():
            if name not in settings:
                raise ValueError(
                    f"{name!r} is not a session setting. The settings are: {', '.join(settings)}."
                )
            settings[name] = value
        if secret_key is not None:
            settings["SECRET_KEY"] = secret_key

        #: The wrapped WSGI application.
        self.wsgi_app = app
        #: The settings in force; the session interface reads them on every request.
        self.config = settings
        #: The environ key the session is stored under.
        self.environ_key = environ_key
        if session_interface is not None:
            self.session_interface = session_interface

    @property
    def secret_key(self) -> str | bytes | None:
        """The ``SECRET_KEY`` setting."""
        return self.config["SECRET_KEY"]  # type: ignore[no-any-return]

    @property
    def permanent_session_lifetime(self) -> timedelta:
        """The ``PERMANENT_SESSION_LIFETIME`` setting, as a :class:`~datetime.timedelta` (an
        int counts seconds).
        """
        lifetime = self.config["PERMANENT_SESSION_LIFETIME"]
        return timedelta(seconds=lifetime) if isinstance(lifetime, int) else lifetime

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        """Run the application with a session in its environ."""
        state = _RequestSession(self, environ, start_response)
        if not self.session_interface.lazy_open:
            state.open()
        environ[self.environ_key] = LocalProxy(state.use)
        try:
            return self.wsgi_app(environ, state.start_response)
        except SessionUnavailable as error:
            # The store is down: answer 503, in place of the response the app started, if any.
            exc_info = sys.exc_info() if state.started else None

            def replace(status: str, headers: list[tuple[str, str]], _: t.Any = None) -> t.Any:
                return start_response(status, headers, exc_info)

            return error(environ, replace)


class _RequestSession:
    """One request's session, opened at most once: when the application first uses it, or when
    saving needs it. It is also the request the session interface reads the cookies of.
    """

    __slots__ = ("middleware", "environ", "forward", "started", "session", "_cookies")

    def __init__(
        self, middleware: SessionMiddleware, environ: WSGIEnvironment, forward: StartResponse
    ) -> None:
        self.middleware = middleware
        self.environ = environ
        #: The server's ``start_response``, and whether it was called.
        self.forward = forward
        self.started = False
        self.session: SessionMixin | None = None
        self._cookies: t.Mapping[str, str] | None = None

    @property
    def cookies(self) -> t.Mapping[str, str]:
        """The request's cookies, read from the environ once: no request object is needed."""
        if self._cookies is None:
            header = self.environ.get("HTTP_COOKIE")
            if header:
                # WSGI passes the header's bytes as latin-1; bytes that are not UTF-8 are replaced.
                header = header.encode("latin-1").decode(errors="replace")
            self._cookies = parse_cookie(header)
        return self._cookies

    def open(self) -> SessionMixin:
        if self.session is None:
            interface = self.middleware.session_interface
            opened = interface.open_session(self.middleware, self)
            self.session = (
                interface.make_null_session(self.middleware) if opened is None else opened
            )
        return self.session

    def use(self) -> SessionMixin:
        session = self.open()
        session.accessed = True
        return session

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
    ) -> t.Callable[[bytes], object]:
        """Save the session onto the headers, then start the response."""
        headers = self._save(status, headers)
        self.started = True
        return self.forward(status, headers, exc_info)

    def _save(self, status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        middleware = self.middleware
        interface = middleware.session_interface
        if self.session is None and interface.should_open_for_save(middleware, self):
            self.open()
        if self.session is None or interface.is_null_session(self.session):
            return headers
        response = _HeadersResponse(status, headers)
        response.max_cookie_size = middleware.config["MAX_COOKIE_SIZE"]
        interface.save_session(middleware, self.session, response)
        return response.headers.to_wsgi_list()
