"""Hostile session cookies: tampered, forged, expired and rotated-out cookies read as an empty
session (never an error page, never trusted data); a missing secret key fails the first write
with a message that says how to fix it.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import typing as t
from datetime import timedelta

import pytest

from erlen_context.globals import session
from erlen_core import Erlen
from erlen_sessions import SecureCookieSessionInterface

from .test_hostile_app import call
from .test_hostile_app import environ
from .test_hostile_app import make_app


def _cookie(app: Erlen, data: dict[str, t.Any]) -> str:
    """A session cookie the app itself would set for ``data``."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    return serializer.dumps(data)


def _session_of(app: Erlen, cookie: str) -> t.Any:
    answer = call(app, environ("/session/read", headers={"Cookie": f"session={cookie}"}))
    assert answer.status == 200
    return json.loads(answer.body)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_genuine_cookie_is_read() -> None:
    app = make_app()
    assert _session_of(app, _cookie(app, {"user": "alice"})) == {"user": "alice"}


def _tampered(cookie: str) -> dict[str, str]:
    payload, timestamp, signature = cookie.rsplit(".", 2)
    forged_payload = _b64(json.dumps({"user": "admin"}).encode())
    # The first character holds six bits of the digest; the last one may hold padding only.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return {
        "payload replaced": f"{forged_payload}.{timestamp}.{signature}",
        "signature flipped": f"{payload}.{timestamp}.{flipped}",
        "signature removed": f"{payload}.{timestamp}",
        "signature empty": f"{payload}.{timestamp}.",
        "timestamp replaced": f"{payload}.{_b64(b'0')}.{signature}",
        "truncated": cookie[: len(cookie) // 2],
        "doubled": cookie + cookie,
        "compressed marker": f".{payload}.{timestamp}.{signature}",
        "not base64": "!!!.@@@.###",
        "only dots": "...",
        "huge": "A" * 10_000,
    }


@pytest.mark.parametrize(
    "case",
    list(_tampered("eyJ1c2VyIjoiYWxpY2UifQ.Z0Y1fA.c2lnbmF0dXJlc2lnbmF0dXJlc2ln").keys()),
)
def test_tampered_cookie_is_an_empty_session(case: str) -> None:
    app = make_app()
    cookie = _tampered(_cookie(app, {"user": "alice"}))[case]
    assert _session_of(app, cookie) == {}


def test_cookie_signed_with_another_key_is_an_empty_session() -> None:
    other = make_app(SECRET_KEY="someone else's key")
    assert _session_of(make_app(), _cookie(other, {"user": "admin"})) == {}


def test_unsigned_cookie_is_an_empty_session() -> None:
    unsigned = _b64(json.dumps({"user": "admin"}).encode())
    assert _session_of(make_app(), unsigned) == {}


def test_signed_payload_that_is_not_a_dict_is_an_empty_session() -> None:
    app = make_app()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    for payload in ([1, 2], "text", 3, None):
        assert _session_of(app, serializer.dumps(payload)) == {}


def test_expired_cookie_is_an_empty_session(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(hours=1))
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - 2 * 3600)
    old = _cookie(app, {"user": "alice", "_permanent": True})
    monkeypatch.setattr(time, "time", lambda: now - 1800)
    recent = _cookie(app, {"user": "alice", "_permanent": True})
    monkeypatch.undo()
    assert _session_of(app, old) == {}
    assert _session_of(app, recent) == {"user": "alice", "_permanent": True}


def test_key_rotation() -> None:
    old_app = make_app(SECRET_KEY="old key")
    cookie = _cookie(old_app, {"n": 41})

    rotated = make_app(SECRET_KEY="new key", SECRET_KEY_FALLBACKS=["old key"])
    # A fallback key still verifies cookies it signed...
    assert _session_of(rotated, cookie) == {"n": 41}
    # ...and the next cookie the app sets is signed with the new key only.
    answer = call(rotated, environ("/session", headers={"Cookie": f"session={cookie}"}))
    assert answer.body == b"42"
    set_cookie = answer.header("Set-Cookie")
    assert set_cookie is not None
    new_cookie = set_cookie.split(";")[0].removeprefix("session=")
    assert _session_of(make_app(SECRET_KEY="new key"), new_cookie) == {"n": 42}
    assert _session_of(old_app, new_cookie) == {}

    # Once the old key leaves the fallbacks, its cookies are worthless.
    rotated_out = make_app(SECRET_KEY="new key", SECRET_KEY_FALLBACKS=[])
    assert _session_of(rotated_out, cookie) == {}


def test_cookie_flags_follow_the_config() -> None:
    app = make_app(
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PARTITIONED=True,
    )
    set_cookie = call(app, environ("/session")).header("Set-Cookie")
    assert set_cookie is not None
    flags = {part.strip().split("=")[0] for part in set_cookie.split(";")}
    assert {"HttpOnly", "Secure", "SameSite", "Partitioned", "Path"} <= flags
    assert "SameSite=Lax" in set_cookie
    # HttpOnly is on by default; nothing else is assumed.
    default = call(make_app(), environ("/session")).header("Set-Cookie")
    assert default is not None and "HttpOnly" in default
    assert "Secure" not in default and "SameSite" not in default


def test_oversized_session_warns_when_set() -> None:
    app = make_app()

    @app.route("/big")
    def big() -> str:
        # Random text: a repetitive one would be compressed below the limit.
        session["blob"] = secrets.token_hex(3_000)
        return "ok"

    with pytest.warns(UserWarning, match="cookie is too large"):
        answer = call(app, environ("/big"))
    assert answer.status == 200


def test_missing_secret_key_fails_the_first_write_clearly() -> None:
    app = make_app(SECRET_KEY=None)
    # Reading needs no key and sets no cookie.
    read = call(app, environ("/session/read", headers={"Cookie": "session=anything"}))
    assert read.status == 200 and read.header("Set-Cookie") is None
    with pytest.raises(RuntimeError, match="no secret key was set.*SECRET_KEY"):
        call(app, environ("/session"))


def test_missing_secret_key_in_production_is_a_logged_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(SECRET_KEY=None, PROPAGATE_EXCEPTIONS=False)
    answer = call(app, environ("/session"))
    assert answer.status == 500 and b"secret" not in answer.body
    assert "no secret key was set" in caplog.text


def test_flashing_without_a_secret_key_fails_clearly() -> None:
    with pytest.raises(RuntimeError, match="no secret key was set"):
        call(make_app(SECRET_KEY=None), environ("/flash"))
