"""Signed media URLs (filesystem store): what they carry, how long they live, what is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.signed_media_urls import HmacMediaUrlSigner, InvalidMediaSignature, signing_key
from productsmanager.domain.errors import PermissionDenied

KEY = Fernet.generate_key().decode()
PATH = "/api/v1/media/files/0b7e4a4c-8a51-4a40-9f3e-5d1c5b1f4e2a/content"
paths = st.from_regex(r"\A/api/v1/media/files/[0-9a-f-]{36}/(content|thumbnails/(small|medium|large))\Z")


def signer(now: float = 1_800_000_000, expiry: int = 3600, keys: tuple[str, ...] = (KEY,)) -> HmacMediaUrlSigner:
    return HmacMediaUrlSigner([signing_key(k) for k in keys], expiry, clock=lambda: now)


def query(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    params = parse_qs(parts.query)
    return parts.path, params["expires"][0], params["signature"][0]


@given(path=paths, now=st.integers(0, 2**33), expiry=st.integers(1, 7 * 24 * 3600))
def test_a_signed_url_is_valid_for_more_than_half_its_lifetime_and_at_most_all_of_it(
    path: str, now: int, expiry: int
) -> None:
    url = signer(now, expiry).sign(path)
    signed_path, expires, signature = query(url)
    assert signed_path == path
    left = signer(now, expiry).check(path, expires, signature)
    assert expiry / 2 < left <= expiry
    with pytest.raises(InvalidMediaSignature):
        signer(int(expires), expiry).check(path, expires, signature)  # expired at `expires`


def test_the_same_url_is_handed_out_for_a_while_by_every_process() -> None:
    """A grid of half the lifetime: caches hit, and two processes give the same URL."""
    first = signer(1_800_000_000).sign(PATH)
    assert signer(1_800_000_000 + 1).sign(PATH) == first
    assert HmacMediaUrlSigner.from_secret_keys([KEY], 3600).sign(PATH) != ""  # built from the config's keys
    assert signer(1_800_000_000 + 1800).sign(PATH) != first


def test_the_signature_is_an_hmac_sha256_of_path_and_expires_under_a_derived_key() -> None:
    _, expires, signature = query(signer().sign(PATH))
    derived = signing_key(KEY)
    assert derived != base64.urlsafe_b64decode(KEY)  # never the Fernet key itself
    assert signature == hmac.new(derived, f"{PATH}\n{expires}".encode(), hashlib.sha256).hexdigest()


@given(path=paths, flip=st.integers(0, 63), other=st.sampled_from("0123456789abcdef"))
def test_an_altered_signature_is_refused(path: str, flip: int, other: str) -> None:
    _, expires, signature = query(signer().sign(path))
    altered = signature[:flip] + other + signature[flip + 1 :]
    if altered != signature:
        with pytest.raises(InvalidMediaSignature):
            signer().check(path, expires, altered)


@pytest.mark.parametrize(
    ("path", "expires", "signature"),
    [
        (PATH, None, None),
        (PATH, "", "x"),
        (PATH.replace("content", "thumbnails/large"), "keep", "keep"),  # another file's URL
        (PATH, "later", "keep"),  # a pushed-back expiry
        (PATH, "\uff11\uff18", "keep"),  # non-ASCII digits
        (PATH, "9" * 13, "keep"),
        (PATH, "keep", "é"),
    ],
)
def test_missing_or_altered_parts_are_refused(path: str, expires: str | None, signature: str | None) -> None:
    _, good_expires, good_signature = query(signer().sign(PATH))
    expires = {"keep": good_expires, "later": str(int(good_expires) + 3600)}.get(expires or "", expires)
    signature = good_signature if signature == "keep" else signature
    with pytest.raises(PermissionDenied):
        signer().check(path, expires, signature)


def test_urls_signed_before_a_key_rotation_stay_valid_until_they_expire() -> None:
    new = Fernet.generate_key().decode()
    _, expires, signature = query(signer(keys=(KEY,)).sign(PATH))
    assert signer(keys=(new, KEY)).check(PATH, expires, signature) > 0
    with pytest.raises(InvalidMediaSignature):
        signer(keys=(new,)).check(PATH, expires, signature)
    assert query(signer(keys=(new, KEY)).sign(PATH))[2] != signature  # the first key signs


@given(expiry=st.integers(1, 7200), steps=st.lists(st.integers(0, 5000), min_size=1, max_size=30))
def test_a_url_reused_by_one_process_is_still_valid_for_more_than_half_its_lifetime(
    expiry: int, steps: list[int]
) -> None:
    now = [1_800_000_000]
    reusing = HmacMediaUrlSigner([signing_key(KEY)], expiry, clock=lambda: now[0])
    for step in steps:
        now[0] += step
        _, expires, signature = query(reusing.sign(PATH))
        assert expiry / 2 < reusing.check(PATH, expires, signature) <= expiry
