"""Signed, expiring URLs for the bytes the API serves (filesystem store), as S3 presigns its own: the query
carries `expires` (Unix time) and `signature`, the hex HMAC-SHA256 of the path and `expires`.

The HMAC key is derived (HKDF-SHA256, its own `info`) from each secret key of the service (PM_SECRET_KEYS, or
the embedded default's generated key), never the Fernet key itself: a signature reveals nothing usable
against the stored secrets, and the two uses can never be confused. The first key signs, every key verifies,
so URLs handed out before a key rotation stay valid until they expire.

Expiry times are rounded to a grid of half the lifetime, so that every process hands out the same URL for
an image for that long (browsers' caches hit) and a URL is always valid for more than half the lifetime.
Within one step of that grid a URL is signed once per process and then reused (a page of products lists
hundreds of image URLs; a dictionary lookup costs a tenth of an HMAC).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Sequence

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from productsmanager.application.ports import SecretKeysMissing
from productsmanager.domain.errors import PermissionDenied

_INFO = b"productsmanager media URL signature v1"
_MAX_EXPIRES_DIGITS = 12  # Unix times up to the year 33658: anything longer is not one of ours
_MAX_REUSED = 100_000  # URLs kept for reuse within one step of the grid (~25 MB at most)


class InvalidMediaSignature(PermissionDenied):
    """A media URL whose signature is missing, does not match, or has expired."""

    code = "invalid_media_signature"


def signing_key(fernet_key: str) -> bytes:
    """The URL-signing key derived from one Fernet key (32 url-safe base64 bytes)."""
    material = base64.urlsafe_b64decode(fernet_key.encode())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material)


class HmacMediaUrlSigner:
    def __init__(self, keys: Sequence[bytes], expiry_seconds: int, clock: Callable[[], float] = time.time) -> None:
        """Without keys (a production container built without PM_SECRET_KEYS) every use raises
        `SecretKeysMissing`, a 503 naming the setting, while what needs no signature keeps working."""
        self._keys = tuple(keys)
        self._expiry = expiry_seconds
        self._clock = clock
        # (expires, URLs signed with it): replaced whole when the grid moves on, so a thread that computed
        # the previous expiry can only ever store into the previous, unused, dictionary.
        self._reused: tuple[int, dict[str, str]] = (0, {})

    @classmethod
    def from_secret_keys(cls, fernet_keys: Sequence[str], expiry_seconds: int) -> HmacMediaUrlSigner:
        return cls([signing_key(key) for key in fernet_keys], expiry_seconds)

    def sign(self, path: str) -> str:
        """`path` with its `expires` and `signature` query, valid for more than half the lifetime."""
        self._require_keys()
        expires = self._expires(int(self._clock()))
        reused = self._reused
        if reused[0] != expires or len(reused[1]) >= _MAX_REUSED:
            reused = self._reused = (expires, {})
        url = reused[1].get(path)
        if url is None:
            url = reused[1][path] = self.signed(path, expires)
        return url

    def signed(self, path: str, expires: int) -> str:
        self._require_keys()
        return f"{path}?expires={expires}&signature={self._signature(self._keys[0], path, str(expires))}"

    def check(self, path: str, expires: str | None, signature: str | None) -> int:
        """Seconds the URL stays valid; raises InvalidMediaSignature when it is missing, altered or expired.
        Every key is tried, each comparison in constant time."""
        self._require_keys()
        if not expires or not signature:
            raise InvalidMediaSignature("this URL needs its 'expires' and 'signature' query parameters")
        if not expires.isascii() or not expires.isdigit() or len(expires) > _MAX_EXPIRES_DIGITS:
            raise InvalidMediaSignature("the URL's signature does not match")
        given = signature.encode("ascii", "replace")
        if not any(hmac.compare_digest(self._signature(k, path, expires).encode(), given) for k in self._keys):
            raise InvalidMediaSignature("the URL's signature does not match")
        left = int(expires) - int(self._clock())
        if left <= 0:
            raise InvalidMediaSignature("the URL has expired: ask the API for a new one")
        return left

    def _require_keys(self) -> None:
        if not self._keys:
            raise SecretKeysMissing("no secret key is configured to sign media URLs with")

    def _expires(self, now: int) -> int:
        if self._expiry < 2:
            return now + self._expiry
        step = self._expiry // 2
        return (now // step + 2) * step  # now + (step, 2 * step]: more than half, at most the lifetime

    @staticmethod
    def _signature(key: bytes, path: str, expires: str) -> str:
        return hmac.new(key, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()
