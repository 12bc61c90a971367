"""The contract between a session interface and the framework around it.

erlen-sessions imports no application, request or response class. What a session interface reads
and calls is written down here instead: an application is its config and two attributes, a
request is its cookies, a response is its headers and werkzeug's two cookie methods. A Flask or
erlen application, request and response fit these protocols unchanged, and
:class:`~erlen_sessions.SessionMiddleware` fits them with small objects of its own.
"""

from __future__ import annotations

import typing as t
from datetime import datetime
from datetime import timedelta

from werkzeug.datastructures import Headers
from werkzeug.datastructures import HeaderSet

if t.TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Unpack


class CookieAttributes(t.TypedDict, total=False):
    """The attributes of the session cookie other than its name, value and expiry: the keyword
    arguments a session interface passes to both cookie methods of :class:`SessionResponse`.
    """

    domain: str | None
    path: str | None
    secure: bool
    httponly: bool
    samesite: str | None
    partitioned: bool


class SessionApp(t.Protocol):
    """The application as a session interface sees it.

    ``config`` holds at least the keys of :class:`~erlen_sessions.middleware.SessionSettings`
    (a Flask application's config has them all by default).
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
        """The cookies the client sent, by name."""


class SessionResponse(t.Protocol):
    """The response as a session interface sees it: its headers, its ``Vary`` header as a set,
    and cookie methods that take :class:`CookieAttributes` as keyword arguments (werkzeug's do).
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
        **attributes: Unpack[CookieAttributes],
    ) -> None:
        """Add a ``Set-Cookie`` header for ``key``."""

    def delete_cookie(self, key: str, **attributes: Unpack[CookieAttributes]) -> None:
        """Add a ``Set-Cookie`` header that makes the client drop the cookie ``key``."""
