"""Server-side sessions: the cookie holds a signed random id, the data lives in a store.

Unlike a signed-cookie session, a server-side session can be revoked: :meth:`ServerSession.clear`
removes its record, :meth:`ServerSessionInterface.revoke` removes every session of one user, and
:meth:`ServerSession.regenerate` gives the session a new id (call it at login, so an id planted
before the login is worth nothing after it). The session object behaves as the cookie session
does (``permanent``, ``modified``, ``accessed``, ``Vary: Cookie``, the cookie settings), and the
id cookie is signed with the application's keys, ``SECRET_KEY_FALLBACKS`` included.

An unknown, forged, expired or revoked id reads as a new, empty session. A store that cannot
answer makes the request fail with ``503 Service Unavailable`` and one log line on the
``erlen_sessions`` logger, when the session is used; it never falls back to a cookie.

Concurrent requests of one session each read the record when they first use the session and
write it whole when they end: the request that ends last wins, and the changes of the other are
lost. Records are never half written.
"""

from __future__ import annotations

import logging
import os
import secrets
import typing as t
from collections.abc import Mapping

from itsdangerous import BadData
from werkzeug.exceptions import ServiceUnavailable

from .protocols import SessionApp
from .protocols import SessionRequest
from .protocols import SessionResponse
from .sessions import _signing_for
from .sessions import _vary_on_cookie
from .sessions import CANNOT_SAVE
from .sessions import NullSession
from .sessions import SecureCookieSession
from .sessions import session_json_serializer
from .sessions import SessionInterface
from .sessions import SessionMixin
from .signing import lazy_sha1
from .stores import SessionStore
from .stores import SQLiteStore
from .stores import StoreUnavailable

logger = logging.getLogger("erlen_sessions")


class SessionUnavailable(ServiceUnavailable):
    """The answer to a request whose session is in a store that cannot answer: ``503``."""

    description = "The session store is unavailable. Please try again in a moment."


class ServerSession(SecureCookieSession):
    """A session kept in a store under :attr:`sid`.

    :param initial: The data to start with.
    :param sid: The id the data was loaded from; ``None`` for a new session.
    """

    def __init__(
        self, initial: t.Mapping[str, t.Any] | None = None, sid: str | None = None
    ) -> None:
        super().__init__(initial)
        #: The id the session was loaded under, ``None`` if it is new.
        self.sid = sid
        #: Whether the session comes from no stored record.
        self.new = sid is None
        #: Whether :meth:`regenerate` was called: the session is saved under a new id, and the
        #: record of the old one is removed.
        self.regenerated = False

    def regenerate(self) -> None:
        """Save the session under a new id when the request ends, and remove the old record.
        Call it when the user logs in or gains rights.
        """
        self.regenerated = True
        self.modified = True


class UnavailableSession(NullSession):
    """What a request gets when the store could not load its session: using it in any way
    raises :exc:`SessionUnavailable`. It is never saved.

    :param reason: What the store said.
    """

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def _refuse(self, *args: object, **kwargs: object) -> t.NoReturn:
        logger.error("Session store unavailable, answering 503: %s", self.reason)
        raise SessionUnavailable()

    __getitem__ = __contains__ = __iter__ = __len__ = get = keys = values = items = _refuse
    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refuse
    copy = _refuse


class ServerSessionInterface(SessionInterface):
    """Keep sessions in a :class:`~erlen_sessions.stores.SessionStore`; the cookie carries only
    a signed random id.

    :param store: Where the sessions are. By default, an
        :class:`~erlen_sessions.stores.SQLiteStore` in the file ``sessions.sqlite3`` of the
        application's instance folder (``app.instance_path``), made on first use.
    :param user_key: The session key whose value identifies the user the session belongs to,
        which :meth:`revoke` uses. The default is where Flask-Login keeps the user's id.
    """

    #: Mixed into the key when signing ids, so an id cookie is no other cookie.
    salt = "erlen-server-session"
    #: The hash function and key derivation of the signature, as for cookie sessions.
    digest_method = staticmethod(lazy_sha1)
    key_derivation = "hmac"
    #: Turns the session's data into the text the store keeps.
    serializer: t.Any = session_json_serializer
    #: The class of the sessions :meth:`open_session` returns.
    session_class = ServerSession
    #: The number of random bytes of a session id.
    id_bytes = 32

    lazy_open = True

    def __init__(self, store: SessionStore | None = None, *, user_key: str = "_user_id") -> None:
        #: The store given, or ``None`` for the default SQLite store of each application.
        self.store = store
        #: The session key naming the user, for :meth:`revoke`.
        self.user_key = user_key
        self._default_stores: dict[str, SessionStore] = {}

    def get_store(self, app: SessionApp) -> SessionStore:
        """The store of ``app``'s sessions: the one given, else the SQLite file in its instance
        folder.
        """
        if self.store is not None:
            return self.store
        folder = getattr(app, "instance_path", None)
        if folder is None:
            raise TypeError(
                "ServerSessionInterface needs a store: the application has no instance folder"
                " to keep the default SQLite store in."
            )
        path = os.path.join(folder, "sessions.sqlite3")
        store = self._default_stores.get(path)
        if store is None:
            store = self._default_stores[path] = SQLiteStore(path)
        return store

    def revoke(self, app: SessionApp, user: t.Any) -> int:
        """Remove every session whose :attr:`user_key` value is ``user`` (compared as text);
        return how many there were. Their ids then read as new, empty sessions.

        :raise ~erlen_sessions.stores.StoreUnavailable: If the store cannot answer.
        """
        return self.get_store(app).revoke(str(user))

    def _signer(self, app: SessionApp) -> t.Any:
        signing = _signing_for(
            app, self.salt, self.serializer, self.key_derivation, self.digest_method
        )
        return None if signing is None else signing.make_signer()

    def _sid_from(self, app: SessionApp, request: SessionRequest, signer: t.Any) -> str | None:
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            return signer.unsign(cookie, max_age=max_age).decode()  # type: ignore[no-any-return]
        except (BadData, UnicodeError):
            return None

    def open_session(self, app: SessionApp, request: SessionRequest) -> SessionMixin | None:
        """Load the session of the request's id cookie: ``None`` without a secret key; a new,
        empty session when the cookie is missing or forged, or its id unknown or expired; an
        :class:`UnavailableSession` when the store cannot answer.
        """
        signer = self._signer(app)
        if signer is None:
            return None
        sid = self._sid_from(app, request, signer)
        if sid is None:
            return self.session_class()
        try:
            text = self.get_store(app).load(sid)
        except StoreUnavailable as e:
            return UnavailableSession(str(e))
        data = None if text is None else _decode(self.serializer, text)
        return self.session_class() if data is None else self.session_class(data, sid)

    def should_open_for_save(self, app: SessionApp, request: SessionRequest) -> bool:
        """Whether a session the request never used must be opened to be saved: when the request
        has an id cookie and ``SESSION_REFRESH_EACH_REQUEST`` may renew a permanent session (the
        record says whether it is one).
        """
        if not (app.config["SESSION_REFRESH_EACH_REQUEST"] and app.secret_key):
            return False
        cookies = request.cookies
        return bool(cookies and cookies.get(self.get_cookie_name(app)))

    def save_session(
        self, app: SessionApp, session: SessionMixin, response: SessionResponse
    ) -> None:
        """Write the session's record and id cookie when it changed (or is refreshed); remove
        both when it was emptied. Add ``Vary: Cookie`` whenever the response depends on the
        session.

        :raise SessionUnavailable: If the store cannot answer.
        """
        try:
            touched = self._store_session(app, session, response)
        except StoreUnavailable as e:
            logger.error("Session store unavailable, answering 503: %s", e)
            raise SessionUnavailable() from e
        if touched or session.accessed:
            _vary_on_cookie(response)

    def _store_session(
        self, app: SessionApp, session: SessionMixin, response: SessionResponse
    ) -> bool:
        """Write or remove the record and cookie; tell whether the response got a cookie."""
        store = self.get_store(app)
        sid = getattr(session, "sid", None)
        if not session:
            if sid is not None:
                store.delete(sid)
            if session.modified:
                self._set_session_cookie(app, session, response, None)
            return session.modified
        if getattr(session, "regenerated", False) or sid is None:
            if sid is not None:
                store.delete(sid)
            sid = secrets.token_urlsafe(self.id_bytes)
        elif not self.should_set_cookie(app, session):
            return False
        signer = self._signer(app)
        if signer is None:
            raise RuntimeError(CANNOT_SAVE)
        user = session.get(self.user_key)
        lifetime = int(app.permanent_session_lifetime.total_seconds())
        store.save(sid, self.serializer.dumps(dict(session)), lifetime, _text(user))
        self._set_session_cookie(app, session, response, signer.sign(sid).decode())
        if isinstance(session, ServerSession):
            session.sid, session.regenerated = sid, False
        return True


def _text(user: object) -> str | None:
    return None if user is None else str(user)


def _decode(serializer: t.Any, text: str) -> t.Mapping[str, t.Any] | None:
    """The session data of a record, or ``None`` if it cannot be read."""
    try:
        data = serializer.loads(text)
    except Exception:
        return None
    return data if isinstance(data, Mapping) else None
