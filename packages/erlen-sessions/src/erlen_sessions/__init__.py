"""Signed-cookie sessions and the tagged JSON serializer; a session for any WSGI app.

erlen-sessions is the session layer of erlen, usable on its own. A :class:`SessionInterface`
opens a session for a request and saves it on the response; the default,
:class:`SecureCookieSessionInterface`, keeps it in a cookie signed with :mod:`itsdangerous`, in
Flask's format, so Flask and erlen applications sharing a secret key share sessions. The session
objects are :class:`SecureCookieSession`, and :class:`NullSession` when no secret key is set.

:class:`ServerSessionInterface` keeps sessions on the server instead, in a
:class:`~erlen_sessions.stores.SessionStore` (SQLite by default, Redis, or memory), and the cookie
holds only a signed random id: such sessions can be revoked.

:mod:`erlen_sessions.tag` holds the tagged JSON serializer that stores tuples, bytes, markup,
UUIDs and datetimes in JSON. :class:`SessionMiddleware` gives any WSGI application a session.
The application, request and response are only seen through the protocols of
:mod:`erlen_sessions.protocols`.
"""

from .middleware import SessionMiddleware as SessionMiddleware
from .protocols import SessionApp as SessionApp
from .protocols import SessionRequest as SessionRequest
from .protocols import SessionResponse as SessionResponse
from .server import ServerSession as ServerSession
from .server import ServerSessionInterface as ServerSessionInterface
from .server import SessionUnavailable as SessionUnavailable
from .sessions import NullSession as NullSession
from .sessions import SecureCookieSession as SecureCookieSession
from .sessions import SecureCookieSessionInterface as SecureCookieSessionInterface
from .sessions import session_json_serializer as session_json_serializer
from .sessions import SessionInterface as SessionInterface
from .sessions import SessionMixin as SessionMixin
from .stores import MemoryStore as MemoryStore
from .stores import SessionStore as SessionStore
from .stores import SQLiteStore as SQLiteStore
from .stores import StoreUnavailable as StoreUnavailable
