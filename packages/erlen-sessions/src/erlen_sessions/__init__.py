"""Signed-cookie sessions and the tagged JSON serializer; a session for any WSGI app.

erlen-sessions is the session layer of erlen, usable on its own. A :class:`SessionInterface`
opens a session for a request and saves it on the response; the default,
:class:`SecureCookieSessionInterface`, keeps it in a cookie signed with :mod:`itsdangerous`, in
Flask's format, so Flask and erlen applications sharing a secret key share sessions. The session
objects are :class:`SecureCookieSession`, and :class:`NullSession` when no secret key is set.

:class:`ServerSessionInterface` keeps sessions on the server instead, in a
:class:`~erlen_sessions.stores.SessionStore` (SQLite by default, Redis, or memory), and the cookie
holds only a signed random id: such sessions can be revoked. :func:`session_interface_for` picks
one from the ``SESSION_BACKEND`` setting (:mod:`erlen_sessions.backends`).

:mod:`erlen_sessions.tag` holds the tagged JSON serializer that stores tuples, bytes, markup,
UUIDs and datetimes in JSON. :class:`SessionMiddleware` gives any WSGI application a session.
The application, request and response are only seen through the protocols of
:mod:`erlen_sessions.protocols`.
"""

import typing as t

from .protocols import SessionApp as SessionApp
from .protocols import SessionRequest as SessionRequest
from .protocols import SessionResponse as SessionResponse
from .sessions import NullSession as NullSession
from .sessions import SecureCookieSession as SecureCookieSession
from .sessions import SecureCookieSessionInterface as SecureCookieSessionInterface
from .sessions import session_json_serializer as session_json_serializer
from .sessions import SessionInterface as SessionInterface
from .sessions import SessionMixin as SessionMixin

if t.TYPE_CHECKING:
    from .backends import session_interface_for as session_interface_for
    from .middleware import SessionMiddleware as SessionMiddleware
    from .server import ServerSession as ServerSession
    from .server import ServerSessionInterface as ServerSessionInterface
    from .server import SessionUnavailable as SessionUnavailable
    from .stores import MemoryStore as MemoryStore
    from .stores import SessionStore as SessionStore
    from .stores import SQLiteStore as SQLiteStore
    from .stores import StoreUnavailable as StoreUnavailable

#: The names whose modules are imported on first use, with their module: server-side sessions
#: (and sqlite3 with them) and the middleware cost memory in every worker that never uses them.
_LAZY = {
    "session_interface_for": "backends",
    "SessionMiddleware": "middleware",
    "ServerSession": "server",
    "ServerSessionInterface": "server",
    "SessionUnavailable": "server",
    "MemoryStore": "stores",
    "SessionStore": "stores",
    "SQLiteStore": "stores",
    "StoreUnavailable": "stores",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
