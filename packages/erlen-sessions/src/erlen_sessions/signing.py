"""The itsdangerous serializer that signs session cookies, tuned for signing on every request.

The cookies are byte for byte those of a plain :class:`~itsdangerous.URLSafeTimedSerializer`
with the same settings (so Flask reads erlen's cookies and the reverse); what changes is the
work per cookie. Itsdangerous builds a new signer and derives its HMAC key again for every
signature, and the lazily looked-up SHA-1 Flask uses (see :func:`lazy_sha1`) sends each HMAC
through Python's slow, pure-Python path. Here a serializer keeps one signer per salt, a signer
derives each key once, and SHA-1 HMACs are computed in one call into OpenSSL; the serializer's
own signatures start from the hashes of the padded key, made once per key (:func:`sha1_mac`).
"""

from __future__ import annotations

import binascii
import functools
import hashlib
import hmac
import typing as t
import zlib
from collections.abc import Callable

from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes
from itsdangerous.signer import HMACAlgorithm

_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")
#: Each byte XORed with the inner and the outer pad of HMAC (RFC 2104), as translation tables.
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))
#: The block size of SHA-1, in bytes.
_SHA1_BLOCK = 64


def _encode64(data: bytes) -> bytes:
    """URL-safe base64 without the padding, as itsdangerous writes it."""
    return binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=")


def _decode64(text: bytes) -> bytes:
    """Read :func:`_encode64`'s text as leniently as itsdangerous (other bytes are skipped)."""
    return binascii.a2b_base64((text + b"=" * (-len(text) % 4)).translate(_FROM_URLSAFE))


def lazy_sha1(string: bytes = b"") -> t.Any:
    """SHA-1, looked up when called: a FIPS build without SHA-1 fails only if it is used."""
    return hashlib.sha1(string)


def sha1_mac(key: bytes) -> Callable[[bytes], bytes]:
    """The function giving ``hmac.digest(key, value, "sha1")`` of a value: it continues copies
    of the SHA-1 states of the key's inner and outer pads, hashed here once, instead of
    hashing them again for each value.
    """
    if len(key) > _SHA1_BLOCK:
        key = hashlib.sha1(key).digest()
    key = key.ljust(_SHA1_BLOCK, b"\0")
    inner_start = hashlib.sha1(key.translate(_INNER_PAD))
    outer_start = hashlib.sha1(key.translate(_OUTER_PAD))

    def mac(value: bytes) -> bytes:
        inner = inner_start.copy()
        inner.update(value)
        outer = outer_start.copy()
        outer.update(inner.digest())
        return outer.digest()

    return mac


class OneShotHMAC(HMACAlgorithm):
    """HMAC signatures computed by :func:`hmac.digest`; :func:`lazy_sha1` is passed to it by
    name, which lets it use OpenSSL directly.
    """

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        digest = "sha1" if self.digest_method is lazy_sha1 else self.digest_method
        return hmac.digest(key, value, digest)


class CachingSigner(TimestampSigner):
    """A :class:`~itsdangerous.TimestampSigner` that derives the key of each secret key once.

    With an HMAC algorithm and ``"."`` as separator it signs and verifies in one pass
    (:meth:`sign`, :meth:`unsign`), its timestamp's text made once a second; a value that does
    not verify there, or a call asking for the timestamp, takes itsdangerous' general way, which
    raises the precise error.
    """

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        if type(self.algorithm) is HMACAlgorithm:
            self.algorithm = OneShotHMAC(self.digest_method)
        self._derived: dict[bytes, bytes] = {}
        self._macs: dict[str | bytes | None, Callable[[bytes], bytes]] = {}
        #: Whether :meth:`sign` and :meth:`unsign` work in one pass.
        self.one_pass = type(self.algorithm) is OneShotHMAC and want_bytes(self.sep) == b"."
        self._stamp: tuple[int, bytes] = (-1, b"")

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        if secret_key is None:
            secret_key = self.secret_keys[-1]
        elif isinstance(secret_key, str):
            secret_key = secret_key.encode()
        key = self._derived.get(secret_key)
        if key is None:
            key = self._derived[secret_key] = super().derive_key(secret_key)
        return key

    def mac(self, secret_key: str | bytes | None = None) -> Callable[[bytes], bytes]:
        """The function giving the HMAC signature of a value with the key derived from
        ``secret_key`` (by default the signing key), made once per key. Only for a signer
        whose algorithm is a :class:`OneShotHMAC`.
        """
        mac = self._macs.get(secret_key)
        if mac is None:
            key = self.derive_key(secret_key)
            method = self.algorithm.digest_method  # type: ignore[attr-defined]
            if method is lazy_sha1:
                mac = sha1_mac(key)
            else:
                mac = functools.partial(hmac.digest, key, digest=method)
            self._macs[secret_key] = mac
        return mac

    def _timestamp(self) -> bytes:
        """The current timestamp as it appears in a signed value, made once per value."""
        now = self.get_timestamp()
        stamp = self._stamp
        if stamp[0] != now:
            stamp = self._stamp = (now, _encode64(now.to_bytes(8, "big").lstrip(b"\x00")))
        return stamp[1]

    def sign(self, value: str | bytes) -> bytes:
        """As in itsdangerous: ``value``, the current timestamp and their signature."""
        if not self.one_pass:
            return super().sign(value)
        stamped = want_bytes(value) + b"." + self._timestamp()
        return stamped + b"." + _encode64(self.mac()(stamped))

    def unsign(
        self,
        signed_value: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
    ) -> t.Any:
        """As in itsdangerous: the value of a signed value, checking its age against
        ``max_age`` seconds.
        """
        if return_timestamp:
            return super().unsign(signed_value, max_age, True)
        if self.one_pass:
            try:
                return self.verified(want_bytes(signed_value), max_age)
            except Exception:
                pass
        return super().unsign(signed_value, max_age)

    def verified(self, signed_value: bytes, max_age: int | None) -> bytes:
        """The value of a signed value that is valid by any of the keys and not older than
        ``max_age``; raises (anything) for the general way to explain. Only when
        :attr:`one_pass`.
        """
        stamped, _, signature = signed_value.rpartition(b".")
        value, separated, timestamp = stamped.rpartition(b".")
        if not separated:
            raise ValueError("not a signed, timestamped value")
        expected = _decode64(signature)
        for secret_key in reversed(self.secret_keys):
            if hmac.compare_digest(self.mac(secret_key)(stamped), expected):
                break
        else:
            raise ValueError("bad signature")
        issued = _decode64(timestamp)
        if len(issued) > 8:  # itsdangerous reads at most eight bytes
            raise ValueError("malformed timestamp")
        age = self.get_timestamp() - int.from_bytes(issued, "big")
        if max_age is not None and not 0 <= age <= max_age:
            raise ValueError("expired")
        return value


class SessionSerializer(URLSafeTimedSerializer):
    """A :class:`~itsdangerous.URLSafeTimedSerializer` signing with one :class:`CachingSigner`
    per salt, made when first needed and then reused.

    With the settings sessions use (an HMAC algorithm, ``"."`` as separator, a text serializer
    called without extra arguments) :meth:`dumps` and :meth:`loads` do their work in one pass:
    serialize, compress when that is shorter, encode, then sign in one pass with the
    :class:`CachingSigner`, or the reverse. Anything else takes itsdangerous' general way.
    """

    default_signer = CachingSigner

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._signers: dict[str | bytes | None, t.Any] = {}
        #: Per salt: the signer, when one pass works.
        self._one_pass: dict[str | bytes | None, CachingSigner | None] = {}
        self._plain_payloads = (
            self.is_text_serializer
            and not self.serializer_kwargs
            and type(self).dump_payload is URLSafeTimedSerializer.dump_payload
            and type(self).load_payload is URLSafeTimedSerializer.load_payload
        )

    def make_signer(self, salt: str | bytes | None = None) -> t.Any:
        if salt is None:
            salt = self.salt
        signer = self._signers.get(salt)
        if signer is None:
            signer = self._signers[salt] = super().make_signer(salt)
        return signer

    def _one_pass_signer(self, salt: str | bytes | None) -> CachingSigner | None:
        """The signer for ``salt``, or ``None`` if the general way is needed."""
        try:
            return self._one_pass[salt]
        except KeyError:
            pass
        signer = self.make_signer(salt)
        one_pass = self._plain_payloads and type(signer) is CachingSigner and signer.one_pass
        found = self._one_pass[salt] = signer if one_pass else None
        return found

    def dumps(self, obj: t.Any, salt: str | bytes | None = None) -> str:
        """As in itsdangerous: the signed, timestamped, URL-safe text of ``obj``."""
        signer = self._one_pass_signer(salt)
        if signer is None:
            return super().dumps(obj, salt)
        text = want_bytes(self.serializer.dumps(obj))
        packed = zlib.compress(text)
        # Compressed (marked by a leading ".") only when that saves more than the mark costs.
        value = b"." + _encode64(packed) if len(packed) < len(text) - 1 else _encode64(text)
        return signer.sign(value).decode("ascii")

    def loads(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
        salt: str | bytes | None = None,
    ) -> t.Any:
        """As in itsdangerous. A value signed by a current key, not older than ``max_age``, is
        read in one pass; anything else goes the general way, which raises the precise error.
        """
        signer = None
        if not return_timestamp and salt is None and not self.fallback_signers:
            signer = self._one_pass_signer(None)
        if signer is not None:
            try:
                return self._read(signer, want_bytes(s), max_age)
            except Exception:
                pass
        return super().loads(s, max_age, return_timestamp, salt)

    def _read(self, signer: CachingSigner, value: bytes, max_age: int | None) -> t.Any:
        """The data of a valid ``value``; raises (anything) for the general way to explain."""
        payload = signer.verified(value, max_age)
        if payload[:1] == b".":
            text = zlib.decompress(_decode64(payload[1:]))
        else:
            text = _decode64(payload)
        return self.serializer.loads(text.decode())
