"""Session objects and the interfaces that load and store them.

A :class:`SessionInterface` turns a request into a session object when the session is opened,
and writes the session back onto the response when the request ends.
:class:`SecureCookieSessionInterface`, the default, keeps the whole session in a cookie signed
with :mod:`itsdangerous`, in the exact format Flask uses, so a Flask application and an erlen one
that share a secret key share their sessions.
"""

from __future__ import annotations

import functools
import re
import typing as t
from collections.abc import MutableMapping
from datetime import datetime
from datetime import timezone

from itsdangerous import BadData
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode
from werkzeug.datastructures import CallbackDict

from .protocols import SessionApp
from .protocols import SessionRequest
from .protocols import SessionResponse
from .signing import lazy_sha1
from .signing import SessionSerializer
from .tag import TaggedJSONSerializer


class SessionMixin(MutableMapping[str, t.Any]):
    """The attributes every session object has on top of the mapping interface."""

    @property
    def permanent(self) -> bool:
        """Whether the session outlives the browser session; stored under ``"_permanent"``."""
        return self.get("_permanent", False)  # type: ignore[no-any-return]

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    #: Whether the session was just created. Backends that cannot tell leave it ``False``.
    new = False

    #: Whether the session changed and must be saved. Backends that cannot tell leave it
    #: ``True`` so the session is always saved.
    modified = True

    #: Whether the request used the session at all, even only to read it. The request context
    #: (or :class:`~erlen_sessions.SessionMiddleware`) sets it when it hands the session out; a
    #: saved response then gets ``Vary: Cookie``.
    accessed = False


def _mark_modified(session: SessionMixin) -> None:
    session.modified = True


class SecureCookieSession(CallbackDict[str, t.Any], SessionMixin):
    """A dict-based session that sets :attr:`modified` when its own keys change.

    Changes inside a mutable value (appending to a list stored in the session) are not seen:
    set :attr:`modified` to ``True`` after such a change. :attr:`new` stays ``False``: a missing
    cookie and an empty session cannot be told apart.

    :param initial: The data to start with.
    """

    #: Set to ``True`` by any change of the session's keys. Only a modified session (or a
    #: permanent one that is refreshed on each request) is written back to the cookie.
    modified = False

    def __init__(self, initial: t.Mapping[str, t.Any] | None = None) -> None:
        super().__init__(initial, _mark_modified)


class NullSession(SecureCookieSession):
    """The empty, read-only session used when sessions cannot work, because the application has
    no secret key. Reading works; any write raises :exc:`RuntimeError` saying how to fix it.
    """

    def _fail(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise RuntimeError(
            "The session is unavailable because no secret key was set. Set the application's"
            " 'secret_key' (the SECRET_KEY config value) to a long random string and keep it"
            " secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail
    del _fail


def _vary_on_cookie(response: SessionResponse) -> None:
    """Add ``Cookie`` to the response's ``Vary`` header."""
    if response.headers.getlist("Vary"):
        response.vary.add("Cookie")
    else:
        # The usual case, added directly: werkzeug would first look for the absent header, a
        # lookup that fails by raising.
        response.headers.add("Vary", "Cookie")


class SessionInterface:
    """The base class of session backends. A backend implements :meth:`open_session` and
    :meth:`save_session`; the other methods read the cookie settings from the application's
    config and rarely need overriding.

    ``open_session`` returns ``None`` when sessions cannot work (a missing secret key, say); the
    caller then uses :meth:`make_null_session`, whose writes fail with a clear message.

    Install a backend with ``app.session_interface = MyInterface()``. Requests sharing a session
    may run concurrently, and nothing orders their opens and saves: a backend with a shared store
    must synchronise it itself.
    """

    #: The class :meth:`make_null_session` instantiates and :meth:`is_null_session` checks for.
    null_session_class: type[SessionMixin] = NullSession

    #: Whether the backend stores sessions with pickle; extensions may read it.
    pickle_based = False

    #: Whether :meth:`open_session` may be deferred until the session is first used. A backend
    #: may set it only if ``open_session`` is pure and never raises. A subclass that overrides
    #: ``open_session`` without setting ``lazy_open`` itself is made eager again.
    lazy_open: t.ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)

        if "open_session" in cls.__dict__ and "lazy_open" not in cls.__dict__:
            cls.lazy_open = False

    def make_null_session(self, app: SessionApp) -> SessionMixin:
        """Return a new :attr:`null_session_class` instance, the stand-in for a session that
        could not be opened.
        """
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Tell whether ``obj`` is a null session; null sessions are never saved."""
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: SessionApp) -> str:
        """The session cookie's name: ``SESSION_COOKIE_NAME``."""
        return app.config["SESSION_COOKIE_NAME"]  # type: ignore[no-any-return]

    def get_cookie_domain(self, app: SessionApp) -> str | None:
        """The cookie's ``Domain``: ``SESSION_COOKIE_DOMAIN``. ``None`` (the default) limits the
        cookie to the exact host that set it; a domain also sends it to that domain's subdomains.
        """
        return app.config["SESSION_COOKIE_DOMAIN"]  # type: ignore[no-any-return]

    def get_cookie_path(self, app: SessionApp) -> str:
        """The cookie's ``Path``: ``SESSION_COOKIE_PATH``, else ``APPLICATION_ROOT``."""
        return app.config["SESSION_COOKIE_PATH"] or app.config["APPLICATION_ROOT"]  # type: ignore[no-any-return]

    def get_cookie_httponly(self, app: SessionApp) -> bool:
        """Whether the cookie is hidden from scripts: ``SESSION_COOKIE_HTTPONLY``."""
        return app.config["SESSION_COOKIE_HTTPONLY"]  # type: ignore[no-any-return]

    def get_cookie_secure(self, app: SessionApp) -> bool:
        """Whether the cookie is sent over HTTPS only: ``SESSION_COOKIE_SECURE``."""
        return app.config["SESSION_COOKIE_SECURE"]  # type: ignore[no-any-return]

    def get_cookie_samesite(self, app: SessionApp) -> str | None:
        """The cookie's ``SameSite`` (``"Strict"``, ``"Lax"`` or ``None``):
        ``SESSION_COOKIE_SAMESITE``.
        """
        return app.config["SESSION_COOKIE_SAMESITE"]  # type: ignore[no-any-return]

    def get_cookie_partitioned(self, app: SessionApp) -> bool:
        """Whether the cookie is ``Partitioned`` (CHIPS): ``SESSION_COOKIE_PARTITIONED``."""
        return app.config["SESSION_COOKIE_PARTITIONED"]  # type: ignore[no-any-return]

    def get_expiration_time(self, app: SessionApp, session: SessionMixin) -> datetime | None:
        """When the cookie expires: now plus ``permanent_session_lifetime`` for a permanent
        session, ``None`` (end of the browser session) otherwise.
        """
        if session.permanent:
            return datetime.now(timezone.utc) + app.permanent_session_lifetime

        return None

    def should_set_cookie(self, app: SessionApp, session: SessionMixin) -> bool:
        """Whether the response must carry the session cookie: when the session was modified,
        or when it is permanent and ``SESSION_REFRESH_EACH_REQUEST`` renews its expiry on every
        request. Deleting an emptied session does not consult this.
        """
        return session.modified or bool(
            session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
        )

    def should_open_for_save(self, app: SessionApp, request: SessionRequest) -> bool:
        """For a :attr:`lazy_open` backend, whether a session the request never used must still
        be opened and saved, because saving might change the response. The base answer is
        always ``True``.
        """
        return True

    def open_session(self, app: SessionApp, request: SessionRequest) -> SessionMixin | None:
        """Load the request's session, or return ``None`` if sessions cannot work, in which case
        the caller uses :meth:`make_null_session`. It runs with the request context pushed,
        before URL matching.
        """
        raise NotImplementedError

    def save_session(
        self, app: SessionApp, session: SessionMixin, response: SessionResponse
    ) -> None:
        """Store ``session`` and put whatever the client needs (a cookie) on ``response``. It
        runs after the response is made, and not at all for a null session.
        """
        raise NotImplementedError


#: The tagged JSON serializer :class:`SecureCookieSessionInterface` uses by default. Register
#: tags for more types on it.
session_json_serializer = TaggedJSONSerializer()


#: A ``_permanent`` key whose value is not ``false``, in a payload's JSON text.
_MAYBE_PERMANENT = re.compile(rb'"_permanent":(?!false)')


@functools.lru_cache(maxsize=64)
def _build_signing_serializer(
    keys: tuple[str | bytes, ...],
    salt: str | bytes,
    serializer: t.Any,
    key_derivation: str,
    digest_method: t.Any,
) -> URLSafeTimedSerializer:
    return SessionSerializer(
        list(keys),
        salt=salt,
        serializer=serializer,
        signer_kwargs={"key_derivation": key_derivation, "digest_method": digest_method},
    )


class SecureCookieSessionInterface(SessionInterface):
    """Keep the session in a cookie signed by :mod:`itsdangerous`, readable by the client but
    not forgeable without the secret key. Old keys listed in ``SECRET_KEY_FALLBACKS`` still
    verify cookies, so keys can be rotated without logging everyone out.

    A cookie that fails in any way (bad signature, unknown key, expired, truncated, not
    decodable) reads as an empty session. Opening is pure, so it may be deferred until the
    session is used (:attr:`lazy_open`).
    """

    #: Mixed with the secret key so session signatures differ from other signatures made with
    #: the same key.
    salt = "cookie-session"
    #: The signature's hash function.
    digest_method = staticmethod(lazy_sha1)
    #: How :mod:`itsdangerous` derives the signing key from the secret key.
    key_derivation = "hmac"
    #: Turns the session dict into text and back.
    serializer: t.Any = session_json_serializer
    #: The class of the sessions :meth:`open_session` returns.
    session_class = SecureCookieSession

    #: Opening only reads the request's cookie and never raises, so it is deferred.
    lazy_open = True

    def get_signing_serializer(self, app: SessionApp) -> URLSafeTimedSerializer | None:
        """Return the serializer that signs and verifies cookies, or ``None`` without a secret
        key. It is built once per key set (secret key plus fallbacks) and settings, then reused.
        """
        secret_key = app.secret_key
        if not secret_key:
            return None

        keys: list[str | bytes] = []

        if fallbacks := app.config["SECRET_KEY_FALLBACKS"]:
            keys.extend(fallbacks)

        # itsdangerous signs with the last key and verifies with all of them.
        keys.append(secret_key)
        args = (tuple(keys), self.salt, self.serializer, self.key_derivation, self.digest_method)

        try:
            return _build_signing_serializer(*args)
        except TypeError:  # an unhashable custom serializer: build it every time
            return _build_signing_serializer.__wrapped__(*args)

    def open_session(self, app: SessionApp, request: SessionRequest) -> SecureCookieSession | None:
        """Read the session from the request's cookie. Return ``None`` without a secret key, and
        an empty session when there is no cookie or it cannot be trusted or read.
        """
        s = self.get_signing_serializer(app)

        if s is None:
            return None

        val = request.cookies.get(self.get_cookie_name(app))

        if not val:
            return self.session_class()

        max_age = int(app.permanent_session_lifetime.total_seconds())

        try:
            data = s.loads(val, max_age=max_age)
            return self.session_class(data)
        except (BadData, TypeError, ValueError):
            # A bad signature or payload, a payload that is not a dict, text that is not UTF-8:
            # all untrusted input, all read as no session.
            return self.session_class()

    def should_open_for_save(self, app: SessionApp, request: SessionRequest) -> bool:
        """Whether an unused session must be opened to be saved: only when it may be permanent
        and ``SESSION_REFRESH_EACH_REQUEST`` asks to renew it. The cookie's payload is peeked at
        without verifying it, and only a payload mentioning ``_permanent`` answers ``True``
        (it is then opened and verified as usual) unless it is ``false``.
        """
        if not app.config["SESSION_REFRESH_EACH_REQUEST"] or not app.secret_key:
            return False

        cookies = request.cookies

        # Most requests of an app that never used its session carry no cookie at all.
        if not cookies:
            return False

        val = cookies.get(self.get_cookie_name(app))

        if not val:
            return False

        if type(self.serializer) is not TaggedJSONSerializer:
            return True

        payload = val.rsplit(".", 2)[0]

        # A compressed payload is only inflated after its signature is checked.
        if payload.startswith("."):
            return True

        try:
            data = base64_decode(payload)
        except BadData:
            return False

        return _MAYBE_PERMANENT.search(data) is not None

    def save_session(
        self, app: SessionApp, session: SessionMixin, response: SessionResponse
    ) -> None:
        """Write the signed session to the cookie when it changed (or is refreshed), delete the
        cookie when the session was emptied, and add ``Vary: Cookie`` whenever the response
        depends on the session.
        """
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        partitioned = self.get_cookie_partitioned(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)

        # Vary goes where Flask puts it: before the cookie when the session was read, after
        # it otherwise. Adding it once is enough, and every addition parses the header again.
        vary_pending = not session.accessed
        if not vary_pending:
            _vary_on_cookie(response)

        if not session:
            if session.modified:
                response.delete_cookie(
                    name,
                    domain=domain,
                    path=path,
                    secure=secure,
                    partitioned=partitioned,
                    samesite=samesite,
                    httponly=httponly,
                )
                if vary_pending:
                    _vary_on_cookie(response)

            return

        if not self.should_set_cookie(app, session):
            return

        s = self.get_signing_serializer(app)

        if s is None:
            raise RuntimeError(
                "The session cannot be saved because no secret key was set. Set the"
                " application's 'secret_key' (the SECRET_KEY config value)."
            )

        response.set_cookie(
            name,
            s.dumps(dict(session)),
            expires=self.get_expiration_time(app, session),
            httponly=httponly,
            domain=domain,
            path=path,
            secure=secure,
            partitioned=partitioned,
            samesite=samesite,
        )
        if vary_pending:
            _vary_on_cookie(response)
