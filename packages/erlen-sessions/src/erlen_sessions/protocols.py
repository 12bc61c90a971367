"""What a session interface needs from the objects it is handed.

erlen-sessions imports no application, request or response class. It states here, as
:class:`typing.Protocol` classes, the few attributes it reads: a Flask or erlen application,
request and response satisfy them, and so does :class:`~erlen_sessions.SessionMiddleware` with
its own small objects.
"""

from __future__ import annotations

import typing as t
from datetime import datetime
from datetime import timedelta

from werkzeug.datastructures import Headers
from werkzeug.datastructures import HeaderSet


class SessionApp(t.Protocol):
    """The application as a session interface sees it.

    ``config`` must hold the ``SECRET_KEY_FALLBACKS``, ``APPLICATION_ROOT``,
    ``SESSION_COOKIE_*`` and ``SESSION_REFRESH_EACH_REQUEST`` keys Flask defines.
    """

    @property
    def config(self) -> t.Mapping[str, t.Any]:
        """The configuration mapping."""

    @property
    def secret_key(self) -> str | bytes | None:
        """The key that signs new cookies; no session is possible without it."""

    @property
    def permanent_session_lifetime(self) -> timedelta:
        """How long a permanent session lives, and the oldest signature accepted."""


class SessionRequest(t.Protocol):
    """The request as a session interface sees it: its cookies."""

    @property
    def cookies(self) -> t.Mapping[str, str]:
        """The cookies the client sent."""


class SessionResponse(t.Protocol):
    """The response as a session interface sees it: its headers, the ``Vary`` header and
    cookie setters with werkzeug's signatures.
    """

    @property
    def headers(self) -> Headers:
        """The response headers."""

    @property
    def vary(self) -> HeaderSet:
        """The ``Vary`` header as a mutable set."""

    def set_cookie(
        self,
        key: str,
        value: str = "",
        *,
        expires: datetime | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` header."""

    def delete_cookie(
        self,
        key: str,
        *,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` header that makes the client drop the cookie."""
