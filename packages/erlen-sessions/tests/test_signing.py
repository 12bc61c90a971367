"""The session serializer: the same cookies as itsdangerous' own, for less work per cookie."""

from __future__ import annotations

import hashlib
import hmac
import re
import typing as t

import pytest
from itsdangerous import BadData
from itsdangerous import BadSignature
from itsdangerous import Signer
from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.signer import NoneAlgorithm

from erlen_sessions.signing import CachingSigner
from erlen_sessions.signing import lazy_sha1
from erlen_sessions.signing import OneShotHMAC
from erlen_sessions.signing import SessionSerializer
from erlen_sessions.signing import sha1_mac
from erlen_sessions.tag import TaggedJSONSerializer

NOW = 1_700_000_000


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: NOW)


def _pair(
    keys: list[str | bytes], digest: t.Any = lazy_sha1, derivation: str = "hmac"
) -> tuple[URLSafeTimedSerializer, SessionSerializer]:
    options: dict[str, t.Any] = {
        "salt": "cookie-session",
        "serializer": TaggedJSONSerializer(),
        "signer_kwargs": {"key_derivation": derivation, "digest_method": digest},
    }
    return URLSafeTimedSerializer(keys, **options), SessionSerializer(keys, **options)


@pytest.mark.parametrize("digest", [lazy_sha1, hashlib.sha1, hashlib.sha256], ids=repr)
@pytest.mark.parametrize("derivation", ["hmac", "concat", "django-concat", "none"])
def test_cookies_match_itsdangerous(digest: t.Any, derivation: str) -> None:
    plain, fast = _pair(["old key", b"new key"], digest, derivation)
    data = {"user": "alice", "n": 41, "t": (1, 2)}
    cookie = fast.dumps(data)
    assert cookie == plain.dumps(data)
    assert plain.loads(cookie) == fast.loads(cookie) == {"user": "alice", "n": 41, "t": (1, 2)}
    # A payload large enough to be compressed takes the same path.
    big = {"text": "abc" * 500}
    assert fast.dumps(big) == plain.dumps(big)
    assert fast.dumps(big).startswith(".")


def test_fallback_keys_verify_and_the_last_key_signs() -> None:
    _, old = _pair(["old key"])
    _, rotated = _pair(["old key", "new key"])
    _, new = _pair(["new key"])
    assert rotated.loads(old.dumps({"a": 1})) == {"a": 1}
    assert new.loads(rotated.dumps({"a": 1})) == {"a": 1}
    with pytest.raises(BadSignature):
        new.loads(old.dumps({"a": 1}))


def test_a_tampered_cookie_is_refused() -> None:
    _, fast = _pair(["key"])
    payload, timestamp, signature = fast.dumps({"a": 1}).split(".")
    forged = ("A" if signature[0] != "A" else "B") + signature[1:]
    with pytest.raises(BadSignature):
        fast.loads(f"{payload}.{timestamp}.{forged}")


def test_each_key_is_derived_once(monkeypatch: pytest.MonkeyPatch) -> None:
    derived: list[bytes] = []
    original = Signer.derive_key

    def counting(self: Signer, secret_key: str | bytes | None = None) -> bytes:
        derived.append(t.cast(bytes, secret_key))
        return original(self, secret_key)

    monkeypatch.setattr(Signer, "derive_key", counting)
    _, fast = _pair(["old key", "new key"])
    old_cookie = _pair(["old key"])[1].dumps({"a": 1})
    derived.clear()
    for _ in range(3):
        fast.loads(fast.dumps({"a": 1}))
        fast.loads(old_cookie)
    assert sorted(derived) == [b"new key", b"old key"]


def test_derive_key_accepts_text_and_defaults_to_the_signing_key() -> None:
    signer = CachingSigner(["old", "new"], salt="s")
    assert signer.derive_key("new") == signer.derive_key(b"new") == signer.derive_key()
    assert signer.derive_key("old") != signer.derive_key()


def test_one_signer_per_salt() -> None:
    _, fast = _pair(["key"])
    assert fast.make_signer() is fast.make_signer()
    assert fast.make_signer("other") is fast.make_signer("other")
    assert fast.make_signer("other") is not fast.make_signer()
    assert isinstance(fast.make_signer(), CachingSigner)


def test_hmac_goes_through_openssl_by_name() -> None:
    algorithm = OneShotHMAC(lazy_sha1)
    assert algorithm.get_signature(b"k", b"v") == Signer(
        "k", digest_method=lazy_sha1
    ).algorithm.get_signature(b"k", b"v")
    assert CachingSigner("k").algorithm.__class__ is OneShotHMAC
    # An algorithm chosen by the caller is kept.
    none = NoneAlgorithm()
    assert CachingSigner("k", algorithm=none).algorithm is none


@pytest.mark.parametrize("size", [0, 1, 20, 63, 64, 65, 200])
def test_sha1_mac_is_hmac_sha1(size: int) -> None:
    key = bytes(range(size))
    mac = sha1_mac(key)
    for value in (b"", b"v", b"x" * 1000):
        assert mac(value) == hmac.digest(key, value, "sha1")


def test_lazy_sha1_is_sha1() -> None:
    assert lazy_sha1(b"x").digest() == hashlib.sha1(b"x").digest()
    assert lazy_sha1().name == "sha1"


def _error(serializer: URLSafeTimedSerializer, value: str, max_age: int | None) -> t.Any:
    try:
        return serializer.loads(value, max_age=max_age)
    except BadData as e:
        return type(e).__name__, str(e)


@pytest.mark.parametrize("max_age", [None, 0, 10, 3600])
@pytest.mark.parametrize("age", [-5, 0, 10, 11, 7200])
def test_loads_answers_and_errors_like_itsdangerous(
    monkeypatch: pytest.MonkeyPatch, max_age: int | None, age: int
) -> None:
    plain, fast = _pair(["old key", "new key"])
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: NOW - age)
    cookie = fast.dumps({"a": 1})
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: NOW)
    payload, timestamp, signature = cookie.split(".")
    values = [
        cookie,
        f"{payload}.{timestamp}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}",
        f"{payload}.{timestamp}",
        f"{payload}.!!.{signature}",
        "no separators",
        f"{payload[:-2]}.{timestamp}.{signature}",
        _pair(["other key"])[1].dumps({"a": 1}),
        # Signed with the right key, but with a timestamp that is not base64.
        Signer.sign(fast.make_signer(), f"{payload}.A").decode(),
    ]
    for value in values:
        assert _error(fast, value, max_age) == _error(plain, value, max_age)


def test_loads_with_timestamp_salt_or_fallback_signers_takes_the_general_way() -> None:
    plain, fast = _pair(["key"])
    cookie = fast.dumps({"a": 1})
    assert fast.loads(cookie, return_timestamp=True)[1].timestamp() == NOW
    assert fast.loads(fast.dumps({"a": 2}, salt="other"), salt="other") == {"a": 2}
    with pytest.raises(BadSignature):
        fast.loads(cookie, salt="other")
    with_fallback = SessionSerializer(
        "key", salt="cookie-session", fallback_signers=[{"digest_method": hashlib.sha256}]
    )
    old = URLSafeTimedSerializer(
        "key", salt="cookie-session", signer_kwargs={"digest_method": hashlib.sha256}
    ).dumps({"b": 1})
    assert with_fallback.loads(old) == {"b": 1}


def test_a_timestamp_longer_than_eight_bytes_is_refused_like_itsdangerous() -> None:
    plain, fast = _pair(["key"])
    payload = fast.dumps({"a": 1}).split(".")[0]
    # Validly signed, but the timestamp is nine bytes.
    value = Signer.sign(fast.make_signer(), f"{payload}.AQIDBAUGBwgJ").decode()
    assert _error(fast, value, None) == _error(plain, value, None)
    assert _error(fast, value, None)[0] == "BadTimeSignature"


@pytest.mark.parametrize(
    "options",
    [
        {"serializer_kwargs": {"sort_keys": True}},
        {"signer_kwargs": {"algorithm": NoneAlgorithm()}},
        {"signer_kwargs": {"sep": "~"}},
    ],
    ids=["serializer_kwargs", "algorithm", "separator"],
)
def test_other_settings_take_the_general_way(options: dict[str, t.Any]) -> None:
    plain = URLSafeTimedSerializer("key", salt="s", **options)
    fast = SessionSerializer("key", salt="s", **options)
    assert fast._one_pass_signer(None) is None
    cookie = fast.dumps({"b": 2, "a": 1})
    assert cookie == plain.dumps({"b": 2, "a": 1})
    assert fast.loads(cookie) == plain.loads(cookie) == {"a": 1, "b": 2}


def test_a_subclass_with_its_own_payload_format_takes_the_general_way() -> None:
    class Reversed(SessionSerializer):
        def dump_payload(self, obj: t.Any) -> bytes:
            return super().dump_payload(obj)[::-1]

        def load_payload(self, payload: bytes, *args: t.Any, **kwargs: t.Any) -> t.Any:
            return super().load_payload(payload[::-1], *args, **kwargs)

    serializer = Reversed("key", salt="s")
    assert serializer._one_pass_signer(None) is None
    assert serializer.loads(serializer.dumps({"a": 1})) == {"a": 1}


def _signers(**options: t.Any) -> tuple[TimestampSigner, CachingSigner]:
    keys = ["old key", "new key"]
    options = {"salt": "erlen-server-session", "digest_method": lazy_sha1, **options}
    return TimestampSigner(keys, **options), CachingSigner(keys, **options)


@pytest.mark.parametrize("options", [{}, {"digest_method": hashlib.sha256}, {"sep": "|"}])
def test_a_signer_signs_and_verifies_as_itsdangerous(options: dict[str, t.Any]) -> None:
    plain, caching = _signers(**options)
    assert caching.one_pass is ("sep" not in options)
    for value in ("an id", b"bytes", ""):
        signed = caching.sign(value)
        assert signed == plain.sign(value)
        assert caching.unsign(signed, max_age=10) == plain.unsign(signed, max_age=10)
    old = TimestampSigner("old key", **{"salt": "erlen-server-session", **options})
    assert caching.unsign(old.sign("id")) == b"id"  # a fallback key still verifies


def test_a_signer_refuses_what_itsdangerous_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    plain, caching = _signers()
    signed = caching.sign("id")
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: NOW + 11)
    for bad in (signed, signed[:-2], b"id", b"id.x.y", signed.replace(b"id", b"ie")):
        with pytest.raises(BadData) as expected:
            plain.unsign(bad, max_age=10)
        with pytest.raises(type(expected.value), match=re.escape(str(expected.value))):
            caching.unsign(bad, max_age=10)
    assert caching.unsign(signed, return_timestamp=True)[0] == b"id"
