"""Session objects and the interfaces that load and store them.

A request's session goes through two steps: a :class:`SessionInterface` *opens* it from the
request (or answers ``None`` when sessions cannot work, and a :class:`NullSession` stands in), and
*saves* it onto the response once the response is made. The default interface,
:class:`SecureCookieSessionInterface`, keeps the whole session in a cookie signed with
:mod:`itsdangerous`, in Flask's format: a Flask application and an erlen one that share a secret
key share their sessions.
"""

from __future__ import annotations

import functools
import string
import typing as t
from collections.abc import Mapping
from collections.abc import MutableMapping
from datetime import datetime
from datetime import timezone

from itsdangerous import BadData
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode
from werkzeug.datastructures import CallbackDict
from werkzeug.datastructures import Headers
from werkzeug.http import dump_cookie
from werkzeug.sansio.response import Response as _WerkzeugResponse

from .protocols import CookieAttributes
from .protocols import SessionApp
from .protocols import SessionRequest
from .protocols import SessionResponse
from .signing import lazy_sha1
from .signing import SessionSerializer
from .tag import TaggedJSONSerializer

_T = t.TypeVar("_T")

#: The data key that holds :attr:`SessionMixin.permanent`, saved with the rest of the session.
PERMANENT_KEY = "_permanent"


class SessionMixin(MutableMapping[str, t.Any]):
    """What a session object carries beside its data. Mixed into a mutable mapping, it makes a
    session that any :class:`SessionInterface` can save.
    """

    #: Whether the request started this session. Backends that cannot tell leave it ``False``.
    new = False

    #: Whether the session changed and must be saved. Backends that cannot see changes leave it
    #: ``True``, so the session is always saved.
    modified = True

    #: Whether the request used the session, even only to read it. The request context (or
    #: :class:`~erlen_sessions.SessionMiddleware`) sets it when it hands the session out; the
    #: response then depends on the cookie and gets ``Vary: Cookie``.
    accessed = False

    @property
    def permanent(self) -> bool:
        """Whether the session outlives the browser session (its cookie gets an expiry). It is
        part of the data, under :data:`PERMANENT_KEY`, so it is saved and loaded with it.
        """
        return bool(self.get(PERMANENT_KEY, False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self[PERMANENT_KEY] = bool(value)


def _mark_modified(session: SessionMixin) -> None:
    session.modified = True


class SecureCookieSession(CallbackDict[str, t.Any], SessionMixin):
    """A dict session that notices changes of its own keys and sets :attr:`modified`.

    A change inside a mutable value (appending to a list kept in the session) goes unseen: set
    :attr:`modified` after one. :attr:`new` stays ``False``: a missing cookie and an empty session
    look alike.

    :param initial: The data to start with.
    """

    #: Set by any change of the session's keys. Only a modified session, or a permanent one
    #: refreshed on each request, is written back.
    modified = False

    def __init__(self, initial: t.Mapping[str, t.Any] | None = None) -> None:
        super().__init__(initial, _mark_modified)


#: Why a :class:`NullSession` refuses to change.
_NO_SECRET_KEY = (
    "The session is unavailable because no secret key was set. Set the application's"
    " 'secret_key' (the SECRET_KEY config value) to a long random string and keep it secret."
)


#: The dict methods that can change a dict's contents.
_DICT_WRITERS = (
    "__setitem__",
    "__delitem__",
    "__ior__",
    "clear",
    "pop",
    "popitem",
    "setdefault",
    "update",
)


def _read_only(cls: type[_T]) -> type[_T]:
    """Make every dict method of ``cls`` that changes the contents raise instead."""

    def refuse(self: object, *args: object, **kwargs: object) -> t.NoReturn:
        raise RuntimeError(_NO_SECRET_KEY)

    for name in _DICT_WRITERS:
        setattr(cls, name, refuse)
    return cls


@_read_only
class NullSession(SecureCookieSession):
    """The empty, read-only session that stands in when sessions cannot work, because the
    application has no secret key. Reading works; any change raises :exc:`RuntimeError` saying
    how to fix it.
    """


def _vary_on_cookie(response: SessionResponse) -> None:
    """Add ``Cookie`` to the response's ``Vary`` header."""
    headers = response.headers
    if _has_header(headers, "vary"):
        response.vary.add("Cookie")
    else:
        # The usual case, added as it is: werkzeug's Vary set would first look for the absent
        # header, a lookup that fails by raising.
        _add_plain(headers, "Vary", "Cookie")


def _has_header(headers: Headers, lowered: str) -> bool:
    """Whether ``headers`` has a header named ``lowered`` (a lower-case name), in any case."""
    if type(headers) is not Headers:
        return bool(headers.getlist(lowered))
    for name, _ in headers._list:
        if name.lower() == lowered:
            return True
    return False


def _add_plain(headers: Headers, name: str, value: str) -> None:
    """``headers.add(name, value)`` for a text value without line breaks, which werkzeug's
    :class:`~werkzeug.datastructures.Headers` would store as it is.
    """
    if type(headers) is Headers:
        headers._list.append((name, value))
    else:
        headers.add(name, value)


class SessionInterface:
    """The base of session backends: a backend implements :meth:`open_session` and
    :meth:`save_session`. The ``get_cookie_*`` methods read the cookie settings from the
    application's config, one setting each, so a subclass can compute any of them instead.

    ``open_session`` answers ``None`` when sessions cannot work (no secret key, say); the caller
    then uses :meth:`make_null_session`, whose writes fail with a clear message.

    Install a backend with ``app.session_interface = MyInterface()``. Requests sharing a session
    may run at the same time and nothing orders their opens and saves: a backend with a shared
    store synchronises it itself.
    """

    #: What :meth:`make_null_session` makes and :meth:`is_null_session` recognises.
    null_session_class: type[SessionMixin] = NullSession

    #: Whether the backend stores sessions with pickle; extensions read it.
    pickle_based = False

    #: Whether :meth:`open_session` may wait until the session is first used. Only for a backend
    #: whose ``open_session`` is pure and never raises; a subclass that overrides
    #: ``open_session`` without setting ``lazy_open`` itself is eager again.
    lazy_open: t.ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "open_session" in cls.__dict__ and "lazy_open" not in cls.__dict__:
            cls.lazy_open = False

    def make_null_session(self, app: SessionApp) -> SessionMixin:
        """Return a new :attr:`null_session_class`, the stand-in for a session that could not be
        opened.
        """
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Tell whether ``obj`` is a null session; a null session is never saved."""
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: SessionApp) -> str:
        """The name of the session cookie (``SESSION_COOKIE_NAME``)."""
        return app.config["SESSION_COOKIE_NAME"]  # type: ignore[no-any-return]

    def get_cookie_attributes(self, app: SessionApp) -> CookieAttributes:
        """Every attribute of the session cookie but its name, value and expiry, each from its
        ``get_cookie_*`` method: what :meth:`save_session` sets and deletes the cookie with.
        """
        return {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "secure": self.get_cookie_secure(app),
            "httponly": self.get_cookie_httponly(app),
            "samesite": self.get_cookie_samesite(app),
            "partitioned": self.get_cookie_partitioned(app),
        }

    def get_cookie_domain(self, app: SessionApp) -> str | None:
        """The ``Domain`` (``SESSION_COOKIE_DOMAIN``). With ``None``, the default, the browser
        sends the cookie to the host that set it only; with a domain, to its subdomains too.
        """
        return app.config["SESSION_COOKIE_DOMAIN"]  # type: ignore[no-any-return]

    def get_cookie_path(self, app: SessionApp) -> str:
        """The ``Path`` (``SESSION_COOKIE_PATH``, else ``APPLICATION_ROOT``)."""
        config = app.config
        return config["SESSION_COOKIE_PATH"] or config["APPLICATION_ROOT"]  # type: ignore[no-any-return]

    def get_cookie_secure(self, app: SessionApp) -> bool:
        """Whether the browser sends the cookie over HTTPS only (``SESSION_COOKIE_SECURE``)."""
        return app.config["SESSION_COOKIE_SECURE"]  # type: ignore[no-any-return]

    def get_cookie_httponly(self, app: SessionApp) -> bool:
        """Whether scripts in the page cannot read the cookie (``SESSION_COOKIE_HTTPONLY``)."""
        return app.config["SESSION_COOKIE_HTTPONLY"]  # type: ignore[no-any-return]

    def get_cookie_samesite(self, app: SessionApp) -> str | None:
        """The ``SameSite`` policy, ``"Strict"``, ``"Lax"`` or ``None`` for no attribute
        (``SESSION_COOKIE_SAMESITE``).
        """
        return app.config["SESSION_COOKIE_SAMESITE"]  # type: ignore[no-any-return]

    def get_cookie_partitioned(self, app: SessionApp) -> bool:
        """Whether the cookie is ``Partitioned``, kept per top-level site (CHIPS)
        (``SESSION_COOKIE_PARTITIONED``).
        """
        return app.config["SESSION_COOKIE_PARTITIONED"]  # type: ignore[no-any-return]

    def get_expiration_time(self, app: SessionApp, session: SessionMixin) -> datetime | None:
        """When the cookie expires: ``permanent_session_lifetime`` from now for a permanent
        session; ``None``, the end of the browser session, for any other.
        """
        if not session.permanent:
            return None
        return datetime.now(timezone.utc) + app.permanent_session_lifetime

    def should_set_cookie(self, app: SessionApp, session: SessionMixin) -> bool:
        """Whether the response carries the session cookie: if the session was modified, or if
        it is permanent and ``SESSION_REFRESH_EACH_REQUEST`` renews its expiry on every request.
        Deleting the cookie of an emptied session does not ask.
        """
        if session.modified:
            return True
        return bool(session.permanent) and bool(app.config["SESSION_REFRESH_EACH_REQUEST"])

    def should_open_for_save(self, app: SessionApp, request: SessionRequest) -> bool:
        """For a :attr:`lazy_open` backend: whether a session the request never used must still
        be opened and saved, because saving might change the response. Always ``True`` here.
        """
        return True

    def open_session(self, app: SessionApp, request: SessionRequest) -> SessionMixin | None:
        """Load the request's session, or answer ``None`` if sessions cannot work (the caller
        then uses :meth:`make_null_session`). It runs once the request context is pushed, before
        URL matching.
        """
        raise NotImplementedError

    def save_session(
        self, app: SessionApp, session: SessionMixin, response: SessionResponse
    ) -> None:
        """Store ``session`` and put on ``response`` what the client needs (a cookie). It runs
        once the response is made, and never for a null session.
        """
        raise NotImplementedError

    def _set_session_cookie(
        self, app: SessionApp, session: SessionMixin, response: SessionResponse, value: str | None
    ) -> None:
        """Give the session cookie ``value``, with every setting; ``None`` deletes the cookie."""
        name = self.get_cookie_name(app)
        attributes = self.get_cookie_attributes(app)
        if value is None:
            response.delete_cookie(name, **attributes)
            return
        expires = self.get_expiration_time(app, session)
        if (
            expires is None
            and type(response).set_cookie is _WerkzeugResponse.set_cookie
            and value.isascii()
            and not value.encode().translate(None, _PLAIN_COOKIE_CHARACTERS)
        ):
            # Werkzeug's header for this cookie, from a layout made once per set of attributes.
            head, tail = _layout_for(name, attributes)
            header = f"{head}{value}{tail}"
            limit = t.cast(_WerkzeugResponse, response).max_cookie_size
            if not limit or len(header) <= limit:
                _add_plain(response.headers, "Set-Cookie", header)
                return
        # Werkzeug's own way, which also warns when the cookie is too large.
        response.set_cookie(name, value, expires=expires, **attributes)


#: Characters of cookie values werkzeug writes as they are (no quotes, no escapes): signed
#: sessions have only these. (Bytes to delete, not a regular expression compiled at import.)
_PLAIN_COOKIE_CHARACTERS = (string.ascii_letters + string.digits + "_.-").encode()

#: The name, a copy of the attributes and the layout :func:`_layout_for` gave last.
_last_layout: tuple[str, dict[str, t.Any], tuple[str, str]] | None = None


def _layout_for(name: str, attributes: CookieAttributes) -> tuple[str, str]:
    """:func:`_cookie_layout` of a cookie; the last one made is at hand without a lookup (most
    apps ask for the same one on every request).
    """
    global _last_layout
    last = _last_layout
    if last is not None and last[0] == name and last[1] == attributes:
        return last[2]
    layout = _cookie_layout(name, tuple(attributes.items()))
    _last_layout = (name, dict(attributes), layout)
    return layout


@functools.lru_cache(maxsize=32)
def _cookie_layout(name: str, attributes: tuple[tuple[str, t.Any], ...]) -> tuple[str, str]:
    """The ``Set-Cookie`` header werkzeug writes for the cookie ``name`` with these attributes
    and no expiry, cut where the value goes: what precedes it and what follows it.
    """
    empty = dump_cookie(name, "", max_size=0, **dict(attributes))
    head = name.encode().decode("latin1") + "="
    return head, empty[len(head) :]


#: Why a session with data cannot be saved without a secret key.
CANNOT_SAVE = (
    "The session cannot be saved because no secret key was set. Set the application's"
    " 'secret_key' (the SECRET_KEY config value)."
)

#: The tagged JSON serializer :class:`SecureCookieSessionInterface` uses by default. Register
#: tags for more types on it.
session_json_serializer = TaggedJSONSerializer()


#: How a member with the permanent key begins in a payload's JSON text.
_PERMANENT_MEMBER = b'"' + PERMANENT_KEY.encode() + b'":'


def _maybe_permanent(payload: bytes) -> bool:
    """Whether a payload's JSON text has the permanent key with a value other than ``false``."""
    start = payload.find(_PERMANENT_MEMBER)
    while start != -1:
        if not payload.startswith(b"false", start + len(_PERMANENT_MEMBER)):
            return True
        start = payload.find(_PERMANENT_MEMBER, start + 1)
    return False


@functools.lru_cache(maxsize=64)
def _signing_serializer(
    keys: tuple[str | bytes, ...],
    salt: str | bytes,
    serializer: t.Any,
    key_derivation: str,
    digest_method: t.Any,
) -> URLSafeTimedSerializer:
    signer_kwargs = {"key_derivation": key_derivation, "digest_method": digest_method}
    return SessionSerializer(
        list(keys), salt=salt, serializer=serializer, signer_kwargs=signer_kwargs
    )


def _trusted_data(
    signing: URLSafeTimedSerializer, cookie: str, app: SessionApp
) -> t.Mapping[str, t.Any] | None:
    """The session data of a cookie that verifies and is recent enough, else ``None``."""
    try:
        data = signing.loads(cookie, max_age=int(app.permanent_session_lifetime.total_seconds()))
    except Exception:
        # A bad signature, an unknown key, an old timestamp, text that is not UTF-8, a payload
        # that does not decode: whatever the cookie holds, it is not the client's session.
        return None
    return data if type(data) is dict or isinstance(data, Mapping) else None


def _signing_for(
    app: SessionApp, salt: str, serializer: t.Any, key_derivation: str, digest_method: t.Any
) -> URLSafeTimedSerializer | None:
    """The signing serializer for ``app``'s keys and these settings; ``None`` without a key."""
    secret_key = app.secret_key
    if not secret_key:
        return None
    # itsdangerous signs with the last key and verifies with any of them.
    keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), secret_key)
    settings = (keys, salt, serializer, key_derivation, digest_method)
    try:
        return _signing_serializer(*settings)
    except TypeError:  # an unhashable custom serializer: made anew each time
        return _signing_serializer.__wrapped__(*settings)


class SecureCookieSessionInterface(SessionInterface):
    """Keep the session in a cookie signed with :mod:`itsdangerous`: the client can read it but
    cannot change it without the secret key. Keys listed in ``SECRET_KEY_FALLBACKS`` still
    verify cookies, so a key can be rotated without logging everyone out.

    A cookie that fails in any way (bad signature, unknown key, expired, truncated, undecodable)
    reads as an empty session. Opening only reads the request, so it waits until the session is
    used (:attr:`lazy_open`).
    """

    #: Mixed into the key, so that session signatures differ from anything else signed with it.
    salt = "cookie-session"
    #: The hash function of the signature.
    digest_method = staticmethod(lazy_sha1)
    #: How :mod:`itsdangerous` derives the signing key from the secret key.
    key_derivation = "hmac"
    #: Turns the session's data into text and back.
    serializer: t.Any = session_json_serializer
    #: The class of the sessions :meth:`open_session` returns.
    session_class = SecureCookieSession

    lazy_open = True

    def get_signing_serializer(self, app: SessionApp) -> URLSafeTimedSerializer | None:
        """The serializer that signs and verifies cookies, or ``None`` without a secret key. One
        is made per set of keys (the fallbacks, then the secret key) and settings, then reused.
        """
        return _signing_for(
            app, self.salt, self.serializer, self.key_derivation, self.digest_method
        )

    def open_session(self, app: SessionApp, request: SessionRequest) -> SecureCookieSession | None:
        """Read the session from the request's cookie: ``None`` without a secret key, an empty
        session when the cookie is missing or cannot be trusted or read.
        """
        signing = self.get_signing_serializer(app)
        if signing is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        return self.session_class(_trusted_data(signing, cookie, app) if cookie else None)

    def should_open_for_save(self, app: SessionApp, request: SessionRequest) -> bool:
        """Whether a session the request never used must be opened to be saved: only when it may
        be permanent and ``SESSION_REFRESH_EACH_REQUEST`` renews it. The payload is peeked at
        without verifying it; only one that has the permanent key, with any value but ``false``,
        answers ``True`` (and is then opened and verified as usual).
        """
        if not (app.config["SESSION_REFRESH_EACH_REQUEST"] and app.secret_key):
            return False
        # Most requests of an app that does not use its session carry no cookie at all.
        cookies = request.cookies
        cookie = cookies.get(self.get_cookie_name(app)) if cookies else None
        if not cookie:
            return False
        payload = cookie.rsplit(".", 2)[0]
        if payload.startswith(".") or type(self.serializer) is not TaggedJSONSerializer:
            # Compressed (inflated only once the signature is checked) or in a format unknown
            # here: open it to know.
            return True
        try:
            return _maybe_permanent(base64_decode(payload))
        except BadData:
            return False

    def save_session(
        self, app: SessionApp, session: SessionMixin, response: SessionResponse
    ) -> None:
        """Write the signed session to the cookie when it changed (or is refreshed), delete the
        cookie when the session was emptied, and add ``Vary: Cookie`` whenever the response
        depends on the session.
        """
        # Flask puts Vary before the cookie when the session was read, after it otherwise.
        if session.accessed:
            _vary_on_cookie(response)
            self._put_cookie(app, session, response)
        elif self._put_cookie(app, session, response):
            _vary_on_cookie(response)

    def _put_cookie(
        self, app: SessionApp, session: SessionMixin, response: SessionResponse
    ) -> bool:
        """Set or delete the cookie as the session needs; tell whether the response got one."""
        if not session:
            if session.modified:
                self._set_session_cookie(app, session, response, None)
            return session.modified
        if not self.should_set_cookie(app, session):
            return False
        signing = self.get_signing_serializer(app)
        if signing is None:
            raise RuntimeError(CANNOT_SAVE)
        self._set_session_cookie(app, session, response, signing.dumps(dict(session)))
        return True
