"""The itsdangerous serializer that signs session cookies, tuned for signing on every request.

The cookies are byte for byte those of a plain :class:`~itsdangerous.URLSafeTimedSerializer`
with the same settings (so Flask reads erlen's cookies and the reverse); what changes is the
work per cookie. Itsdangerous builds a new signer and derives its HMAC key again for every
signature, and the lazily looked-up SHA-1 Flask uses (see :func:`lazy_sha1`) sends each HMAC
through Python's slow, pure-Python path. Here a serializer keeps one signer per salt, a signer
derives each key once, and SHA-1 HMACs are computed in one call into OpenSSL.
"""

from __future__ import annotations

import hashlib
import hmac
import typing as t

from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode
from itsdangerous.encoding import bytes_to_int
from itsdangerous.encoding import want_bytes
from itsdangerous.signer import HMACAlgorithm


def lazy_sha1(string: bytes = b"") -> t.Any:
    """SHA-1, looked up when called: a FIPS build without SHA-1 fails only if it is used."""
    return hashlib.sha1(string)


class OneShotHMAC(HMACAlgorithm):
    """HMAC signatures computed by :func:`hmac.digest`; :func:`lazy_sha1` is passed to it by
    name, which lets it use OpenSSL directly.
    """

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        digest = "sha1" if self.digest_method is lazy_sha1 else self.digest_method
        return hmac.digest(key, value, digest)


class CachingSigner(TimestampSigner):
    """A :class:`~itsdangerous.TimestampSigner` that derives the key of each secret key once."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        if type(self.algorithm) is HMACAlgorithm:
            self.algorithm = OneShotHMAC(self.digest_method)
        self._derived: dict[bytes, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        if secret_key is None:
            secret_key = self.secret_keys[-1]
        elif isinstance(secret_key, str):
            secret_key = secret_key.encode()
        key = self._derived.get(secret_key)
        if key is None:
            key = self._derived[secret_key] = super().derive_key(secret_key)
        return key


class SessionSerializer(URLSafeTimedSerializer):
    """A :class:`~itsdangerous.URLSafeTimedSerializer` signing with one :class:`CachingSigner`
    per salt, made when first needed and then reused, and reading a valid value in one pass.
    """

    default_signer = CachingSigner

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._signers: dict[str | bytes | None, t.Any] = {}

    def make_signer(self, salt: str | bytes | None = None) -> t.Any:
        if salt is None:
            salt = self.salt
        signer = self._signers.get(salt)
        if signer is None:
            signer = self._signers[salt] = super().make_signer(salt)
        return signer

    def loads(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
        salt: str | bytes | None = None,
    ) -> t.Any:
        """As in itsdangerous. A value signed by a current key, not older than ``max_age``, is
        read directly (itsdangerous' own signature check and payload loading, without the
        datetime of the timestamp); anything else goes the general way, which raises the
        precise error.
        """
        if not return_timestamp and salt is None and not self.fallback_signers:
            signer = self.make_signer()
            sep = want_bytes(signer.sep)
            signed, found, signature = want_bytes(s).rpartition(sep)
            payload, found_timestamp, timestamp = signed.rpartition(sep)
            if found and found_timestamp and signer.verify_signature(signed, signature):
                try:
                    issued = bytes_to_int(base64_decode(timestamp))
                except Exception:
                    issued = None
                if issued is not None and (
                    max_age is None or 0 <= signer.get_timestamp() - issued <= max_age
                ):
                    return self.load_payload(payload)
        return super().loads(s, max_age, return_timestamp, salt)
