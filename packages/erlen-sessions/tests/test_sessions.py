from __future__ import annotations

import hashlib
import random
import typing as t
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from werkzeug.sansio.response import Response

from erlen_sessions import NullSession
from erlen_sessions import SecureCookieSession
from erlen_sessions import SecureCookieSessionInterface
from erlen_sessions import session_json_serializer
from erlen_sessions import SessionInterface
from erlen_sessions import SessionMixin
from erlen_sessions.sessions import _maybe_permanent

from .conftest import FakeApp
from .conftest import FakeRequest

iface = SecureCookieSessionInterface()


def cookie_for(app: FakeApp, data: dict[str, t.Any]) -> str:
    s = iface.get_signing_serializer(app)
    assert s is not None
    return s.dumps(data)


def open_with(app: FakeApp, value: str) -> SessionMixin | None:
    return iface.open_session(app, FakeRequest({"session": value}))


# -- session objects -------------------------------------------------------------------------


def test_mixin_permanent() -> None:
    class DictSession(dict[str, t.Any], SessionMixin):  # type: ignore[misc]
        pass

    s = DictSession()
    assert s.permanent is False
    assert s.new is False and s.modified is True and s.accessed is False
    s.permanent = 1  # type: ignore[assignment]
    assert s["_permanent"] is True
    assert s.permanent is True


def test_secure_cookie_session_tracks_modified() -> None:
    s = SecureCookieSession({"a": 1})
    assert not s.modified and not s.accessed and not s.new
    assert s["a"] == 1 and s.get("b") is None
    assert not s.modified
    s["b"] = 2
    assert s.modified

    for change in (
        lambda s: s.pop("a"),
        lambda s: s.setdefault("new", 1),
        lambda s: s.update(x=1),
        lambda s: s.clear(),
        lambda s: s.__delitem__("a"),
        lambda s: setattr(s, "permanent", True),
    ):
        s = SecureCookieSession({"a": 1})
        change(s)
        assert s.modified


def test_null_session() -> None:
    s = NullSession()
    assert s.get("missing") is None
    assert "x" not in s
    assert not s

    for write in (
        lambda: s.__setitem__("a", 1),
        lambda: s.__delitem__("a"),
        lambda: s.pop("a"),
        lambda: s.popitem(),
        lambda: s.update(a=1),
        lambda: s.setdefault("a", 1),
        lambda: s.clear(),
        lambda: setattr(s, "permanent", True),
    ):
        with pytest.raises(RuntimeError, match="session is unavailable.*secret key"):
            write()


# -- the base interface ----------------------------------------------------------------------


def test_cookie_settings_come_from_config() -> None:
    app = FakeApp(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PARTITIONED=True,
        APPLICATION_ROOT="/app",
    )
    i = SessionInterface()
    assert i.get_cookie_name(app) == "sid"
    assert i.get_cookie_domain(app) == "example.com"
    assert i.get_cookie_path(app) == "/app"
    app.config["SESSION_COOKIE_PATH"] = "/p"
    assert i.get_cookie_path(app) == "/p"
    assert i.get_cookie_httponly(app) is False
    assert i.get_cookie_secure(app) is True
    assert i.get_cookie_samesite(app) == "Lax"
    assert i.get_cookie_partitioned(app) is True


def test_expiration_time(app: FakeApp) -> None:
    s = SecureCookieSession()
    assert iface.get_expiration_time(app, s) is None
    s.permanent = True
    expires = iface.get_expiration_time(app, s)
    assert expires is not None
    expected = datetime.now(timezone.utc) + timedelta(days=31)
    assert abs((expires - expected).total_seconds()) < 5


@pytest.mark.parametrize(
    ("modified", "permanent", "refresh", "expected"),
    [
        (True, False, False, True),
        (False, True, True, True),
        (False, True, False, False),
        (False, False, True, False),
    ],
)
def test_should_set_cookie(modified: bool, permanent: bool, refresh: bool, expected: bool) -> None:
    app = FakeApp(SESSION_REFRESH_EACH_REQUEST=refresh)
    s = SecureCookieSession({"_permanent": permanent} if permanent else {})
    s.modified = modified
    assert iface.should_set_cookie(app, s) is expected


def test_base_interface(app: FakeApp, response: Response) -> None:
    i = SessionInterface()
    assert i.lazy_open is False
    assert i.pickle_based is False
    assert isinstance(i.make_null_session(app), NullSession)
    assert i.is_null_session(NullSession())
    assert not i.is_null_session(SecureCookieSession())
    assert i.should_open_for_save(app, FakeRequest())

    with pytest.raises(NotImplementedError):
        i.open_session(app, FakeRequest())

    with pytest.raises(NotImplementedError):
        i.save_session(app, SecureCookieSession(), response)


def test_lazy_open_follows_open_session_overrides() -> None:
    class OnlyName(SecureCookieSessionInterface):
        def get_cookie_name(self, app: t.Any) -> str:
            return "other"

    class OwnOpen(SecureCookieSessionInterface):
        def open_session(self, app: t.Any, request: t.Any) -> SecureCookieSession | None:
            return None

    class OwnOpenStillLazy(SecureCookieSessionInterface):
        lazy_open = True

        def open_session(self, app: t.Any, request: t.Any) -> SecureCookieSession | None:
            return None

    assert SecureCookieSessionInterface.lazy_open is True
    assert OnlyName.lazy_open is True
    assert OwnOpen.lazy_open is False
    assert OwnOpenStillLazy.lazy_open is True


# -- signing ---------------------------------------------------------------------------------


def test_signing_matches_flask_settings(app: FakeApp) -> None:
    s = iface.get_signing_serializer(app)
    assert isinstance(s, URLSafeTimedSerializer)
    assert s.salt == b"cookie-session"
    assert s.serializer is session_json_serializer
    signer = s.make_signer(s.salt)
    assert signer.key_derivation == "hmac"
    assert signer.digest_method(b"x").name == hashlib.sha1().name


def test_signing_serializer_built_once_per_key_set(app: FakeApp) -> None:
    first = iface.get_signing_serializer(app)
    assert iface.get_signing_serializer(app) is first
    assert SecureCookieSessionInterface().get_signing_serializer(app) is first
    app.config["SECRET_KEY_FALLBACKS"] = ["old"]
    rotated = iface.get_signing_serializer(app)
    assert rotated is not first
    assert rotated is not None and rotated.secret_keys == [b"old", b"secret"]
    app.secret_key = None
    assert iface.get_signing_serializer(app) is None
    app.secret_key = ""
    assert iface.get_signing_serializer(app) is None


def test_unhashable_serializer_is_built_each_time(app: FakeApp) -> None:
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def dumps(self, obj: t.Any) -> str:
            return repr(obj)

        def loads(self, s: str) -> t.Any:
            return {"raw": s}

    custom = SecureCookieSessionInterface()
    custom.serializer = Unhashable()
    s = custom.get_signing_serializer(app)
    assert s is not None
    assert s.loads(s.dumps({})) == {"raw": "{}"}
    assert custom.get_signing_serializer(app) is not s


# -- opening ---------------------------------------------------------------------------------


def test_open_without_key_is_none() -> None:
    assert iface.open_session(FakeApp(secret_key=None), FakeRequest()) is None


def test_open_without_cookie_is_empty(app: FakeApp) -> None:
    for cookies in ({}, {"session": ""}, {"other": "x"}):
        s = iface.open_session(app, FakeRequest(cookies))
        assert isinstance(s, SecureCookieSession)
        assert dict(s) == {} and not s.modified


def test_open_valid_cookie(app: FakeApp) -> None:
    s = open_with(app, cookie_for(app, {"a": (1, b"x")}))
    assert s == {"a": (1, b"x")}
    assert s is not None and not s.modified


def test_bad_cookies_read_as_empty(app: FakeApp) -> None:
    good = cookie_for(app, {"user": "alice"})
    payload, ts, sig = good.split(".")
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    huge_ts = base64_encode(b"\xff" * 64).decode()
    bad = [
        f"{tampered}.{ts}.{sig}",
        good[:-3],
        good[: len(payload)],
        good + "x",
        cookie_for(FakeApp("other key"), {"user": "mallory"}),
        "é" + good,
        good.replace(".", "\udcff", 1),
        "x" * 100_000,
        f"{payload}.{huge_ts}.{sig}",
    ]

    for value in bad:
        s = open_with(app, value)
        assert s == {}, value
        assert isinstance(s, SecureCookieSession)


def test_expired_cookie_reads_as_empty(app: FakeApp) -> None:
    value = cookie_for(app, {"a": 1})
    app.permanent_session_lifetime = timedelta(seconds=-10)
    assert open_with(app, value) == {}


def test_signed_non_dict_payload_reads_as_empty(app: FakeApp) -> None:
    for data in ("text", 5, [1, 2]):
        assert open_with(app, cookie_for(app, data)) == {}  # type: ignore[arg-type]


def test_key_rotation(app: FakeApp) -> None:
    old = cookie_for(app, {"a": 1})
    app.secret_key = "new"
    assert open_with(app, old) == {}
    app.config["SECRET_KEY_FALLBACKS"] = ["unrelated", "secret"]
    assert open_with(app, old) == {"a": 1}
    # New cookies are signed with the current key only.
    fresh = cookie_for(app, {"b": 2})
    assert open_with(FakeApp("new"), fresh) == {"b": 2}
    assert open_with(FakeApp("secret"), fresh) == {}


# -- lazy save -------------------------------------------------------------------------------


def test_should_open_for_save(app: FakeApp) -> None:
    def check(value: str | None, a: FakeApp = app) -> bool:
        cookies = {} if value is None else {"session": value}
        return iface.should_open_for_save(a, FakeRequest(cookies))

    permanent = cookie_for(app, {"_permanent": True, "a": 1})
    plain = cookie_for(app, {"a": 1})
    compressed = cookie_for(app, {"a": "x" * 200})
    assert compressed.startswith(".")

    assert check(permanent)
    assert check(cookie_for(app, {"_permanent": 1}))
    assert not check(cookie_for(app, {"_permanent": False, "a": 1}))
    assert check(compressed)
    assert not check(plain)
    assert not check(None)
    assert not check("")
    assert not check("***.x.y")
    assert not check("é")
    assert not check(permanent, FakeApp(SESSION_REFRESH_EACH_REQUEST=False))
    assert not check(permanent, FakeApp(secret_key=None))

    custom = SecureCookieSessionInterface()
    custom.serializer = type(session_json_serializer).__new__(
        type("Sub", (type(session_json_serializer),), {})
    )
    assert custom.should_open_for_save(app, FakeRequest({"session": plain}))


# -- saving ----------------------------------------------------------------------------------


def set_cookies(response: Response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_save_modified_session(app: FakeApp, response: Response) -> None:
    s = SecureCookieSession()
    s["a"] = 1
    iface.save_session(app, s, response)
    [cookie] = set_cookies(response)
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "Path=/" in cookie and "Expires" not in cookie
    assert response.vary.as_set() == {"cookie"}
    value = cookie.split(";")[0].split("=", 1)[1]
    assert open_with(app, value) == {"a": 1}


def test_save_uses_cookie_settings(response: Response) -> None:
    app = FakeApp(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PARTITIONED=True,
        SESSION_COOKIE_PATH="/p",
    )
    s = SecureCookieSession({"_permanent": True})
    s.modified = True
    iface.save_session(app, s, response)
    [cookie] = set_cookies(response)
    assert cookie.startswith("sid=")

    for part in ("Domain=example.com", "Path=/p", "Secure", "SameSite=Strict", "Partitioned"):
        assert part in cookie

    assert "HttpOnly" not in cookie
    assert "Expires=" in cookie


def test_save_unmodified_session(app: FakeApp, response: Response) -> None:
    s = SecureCookieSession({"a": 1})
    iface.save_session(app, s, response)
    assert set_cookies(response) == []
    assert "Vary" not in response.headers

    s.accessed = True
    iface.save_session(app, s, response)
    assert set_cookies(response) == []
    assert response.headers["Vary"] == "Cookie"


@pytest.mark.parametrize("name", ["Vary", "vary"])
def test_save_adds_cookie_to_an_existing_vary_header(
    app: FakeApp, response: Response, name: str
) -> None:
    response.headers.add(name, "Accept-Encoding")
    s = SecureCookieSession({"a": 1})
    s.accessed = True
    iface.save_session(app, s, response)
    iface.save_session(app, s, response)
    assert response.headers.getlist("Vary") == ["Accept-Encoding, Cookie"]


def test_save_refreshes_permanent_session(app: FakeApp, response: Response) -> None:
    s = SecureCookieSession({"_permanent": True})
    iface.save_session(app, s, response)
    assert len(set_cookies(response)) == 1
    assert response.headers["Vary"] == "Cookie"


def test_save_emptied_session_deletes_cookie(app: FakeApp, response: Response) -> None:
    s = SecureCookieSession({"a": 1})
    s.clear()
    iface.save_session(app, s, response)
    [cookie] = set_cookies(response)
    assert cookie.startswith("session=;")
    assert "Expires=Thu, 01 Jan 1970" in cookie
    assert response.headers["Vary"] == "Cookie"


def test_save_empty_unmodified_session(app: FakeApp, response: Response) -> None:
    iface.save_session(app, SecureCookieSession(), response)
    assert response.headers == Response().headers


def test_save_without_key_fails_clearly(response: Response) -> None:
    s = SecureCookieSession()
    s["a"] = 1

    with pytest.raises(RuntimeError, match="no secret key"):
        iface.save_session(FakeApp(secret_key=None), s, response)


def test_oversized_session_warns(app: FakeApp, response: Response) -> None:
    s = SecureCookieSession()
    s["blob"] = random.Random(0).randbytes(4000)

    with pytest.warns(UserWarning, match="cookie is too large"):
        iface.save_session(app, s, response)

    assert len(set_cookies(response)) == 1


def test_invalid_samesite_is_an_error(response: Response) -> None:
    s = SecureCookieSession()
    s["a"] = 1

    with pytest.raises(ValueError):
        iface.save_session(FakeApp(SESSION_COOKIE_SAMESITE="invalid"), s, response)


class _Unsigned:
    """Stands for a custom signing serializer: the cookie value is the session's ``text``."""

    def dumps(self, value: t.Any) -> str:
        return str(value["text"])


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"SESSION_COOKIE_NAME": "sid", "SESSION_COOKIE_HTTPONLY": False},
        {
            "SESSION_COOKIE_DOMAIN": ".Example.com:8080",
            "SESSION_COOKIE_SECURE": True,
            "SESSION_COOKIE_SAMESITE": "lax",
            "SESSION_COOKIE_PARTITIONED": True,
            "SESSION_COOKIE_PATH": "/a b;c",
        },
        {"SESSION_COOKIE_NAME": "séance", "SESSION_COOKIE_SAMESITE": "None"},
    ],
)
@pytest.mark.parametrize("text", ["plain.Value-1_2", 'needs "quotes"; and ü'])
def test_the_session_cookie_header_is_werkzeugs(config: dict[str, t.Any], text: str) -> None:
    app = FakeApp(**config)

    class Interface(SecureCookieSessionInterface):
        def get_signing_serializer(self, app: t.Any) -> t.Any:
            return _Unsigned()

    interface = Interface()
    session = SecureCookieSession({"text": text})
    session.modified = True
    ours = Response()
    interface.save_session(app, session, ours)
    theirs = Response()
    attributes = interface.get_cookie_attributes(app)
    theirs.set_cookie(app.config["SESSION_COOKIE_NAME"], text, **attributes)
    assert set_cookies(ours) == set_cookies(theirs)


def test_a_response_class_with_its_own_set_cookie_is_asked(app: FakeApp) -> None:
    class Recording(Response):
        def set_cookie(self, key: str, value: str = "", **kwargs: t.Any) -> None:
            self.headers.add("X-Cookie", key)

    response = Recording()
    session = SecureCookieSession({"a": 1})
    session.modified = True
    iface.save_session(app, session, response)
    assert response.headers.getlist("X-Cookie") == ["session"]
    assert set_cookies(response) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'{"_permanent":true}', True),
        (b'{"_permanent":false}', False),
        (b'{"a":{"_permanent":false},"_permanent":1}', True),
        (b'{"_permanent":falsey}', False),
        (b'{"x_permanent":true}', False),
        (b'{"_permanent":', True),
        (b"{}", False),
    ],
)
def test_maybe_permanent_reads_the_json_text(text: bytes, expected: bool) -> None:
    assert _maybe_permanent(text) is expected
