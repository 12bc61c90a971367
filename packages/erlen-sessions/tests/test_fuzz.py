"""Untrusted cookies never raise out of the reader: they read as an empty session."""

from __future__ import annotations

import typing as t

from hypothesis import example
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous.encoding import base64_encode
from werkzeug.test import EnvironBuilder

from erlen_sessions import SecureCookieSession
from erlen_sessions import SecureCookieSessionInterface
from erlen_sessions import SessionMiddleware

from .conftest import FakeApp
from .conftest import FakeRequest

iface = SecureCookieSessionInterface()
app = FakeApp("fuzz key")
signer = iface.get_signing_serializer(app).make_signer(iface.salt)  # type: ignore[union-attr]

b64_text = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
cookie_like = st.builds(
    lambda parts, dot: ("." if dot else "") + ".".join(parts),
    st.lists(b64_text, min_size=1, max_size=4),
    st.booleans(),
)


def read(value: str) -> SecureCookieSession | None:
    return iface.open_session(app, FakeRequest({"session": value}))


@given(st.text() | cookie_like | st.text(st.characters(categories=["Cs"])))
@example("x" * 100_000)
def test_any_text_reads_as_empty(value: str) -> None:
    session = read(value)
    assert session == {}
    assert isinstance(iface.should_open_for_save(app, FakeRequest({"session": value})), bool)


@given(st.binary(), st.booleans())
@example(b"[1, 2]", False)
@example(b'"text"', False)
@example(b'{" b": "!"}', False)
@example(b'{" u": 5}', False)
@example(b"[" * 100_000, False)
@example(b'{"_permanent": true}', True)
def test_validly_signed_garbage_never_raises(payload: bytes, compressed: bool) -> None:
    value = ("." if compressed else "") + base64_encode(payload).decode()
    cookie = signer.sign(value).decode()
    session = read(cookie)
    assert isinstance(session, SecureCookieSession)
    assert isinstance(iface.should_open_for_save(app, FakeRequest({"session": cookie})), bool)


@given(st.binary())
def test_raw_cookie_header_through_middleware(header: bytes) -> None:
    seen: list[dict[str, t.Any]] = []

    def wsgi(environ: t.Any, start_response: t.Any) -> list[bytes]:
        seen.append(dict(environ["erlen.session"]))
        start_response("200 OK", [])
        return [b""]

    environ = EnvironBuilder().get_environ()
    # WSGI hands header bytes over as latin-1 text.
    environ["HTTP_COOKIE"] = (b"session=" + header).decode("latin-1")
    statuses: list[str] = []
    body = SessionMiddleware(wsgi, "fuzz key")(
        environ,
        lambda status, headers, exc_info=None: statuses.append(status),  # type: ignore[arg-type]
    )
    assert list(body) == [b""]
    assert seen == [{}]
    assert statuses == ["200 OK"]
