"""The OAuth 2.0 web-server flow's rules: a `state` that lives 10 minutes and is used once (CSRF), a PKCE pair
(RFC 7636, S256) so that an intercepted code is worthless, and when a stored access token must be refreshed."""

from __future__ import annotations

import base64
import hashlib
import secrets
import string
import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from attrs import frozen

from productsmanager.domain.errors import DomainError

STATE_LIFETIME = timedelta(minutes=10)
REFRESH_MARGIN = timedelta(minutes=5)
_VERIFIER_ALPHABET = frozenset(string.ascii_letters + string.digits + "-._~")


class InvalidOAuthState(DomainError):
    """The callback's `state` is unknown, used already or older than 10 minutes: a forged or replayed return."""

    code = "invalid_oauth_state"


class ConnectionStatus(StrEnum):
    NOT_CONFIGURED = "not_configured"  # no OAuth client in the configuration
    DISCONNECTED = "disconnected"  # configured, never connected or disconnected by an admin
    CONNECTED = "connected"
    RECONNECT_NEEDED = "reconnect_needed"  # Google refused the refresh token (revoked, expired): connect again


@frozen
class Pkce:
    """A code verifier (43-128 characters of the unreserved set) and its S256 challenge."""

    verifier: str
    challenge: str
    method: str = "S256"

    @classmethod
    def new(cls, length: int = 64) -> Pkce:
        if not 43 <= length <= 128:
            raise ValueError("a PKCE verifier has 43 to 128 characters")
        alphabet = string.ascii_letters + string.digits + "-._~"
        return cls.of("".join(secrets.choice(alphabet) for _ in range(length)))

    @classmethod
    def of(cls, verifier: str) -> Pkce:
        if not 43 <= len(verifier) <= 128 or not set(verifier) <= _VERIFIER_ALPHABET:
            raise ValueError("a PKCE verifier has 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
        return cls(verifier, challenge(verifier))


def challenge(verifier: str) -> str:
    """BASE64URL(SHA256(ASCII(verifier))) without padding (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@frozen
class OAuthState:
    """One authorization attempt: its `state`, the PKCE verifier to send with the code, who started it."""

    state: str
    verifier: str
    user_id: uuid.UUID
    created_at: datetime

    @classmethod
    def new(cls, user_id: uuid.UUID, now: datetime) -> OAuthState:
        return cls(secrets.token_urlsafe(32), Pkce.new().verifier, user_id, now)

    def expired(self, now: datetime) -> bool:
        return now >= self.created_at + STATE_LIFETIME

    def check(self, now: datetime) -> None:
        if self.expired(now):
            raise InvalidOAuthState("the sign-in at Google took longer than 10 minutes: start again", field="state")


def needs_refresh(expires_at: datetime | None, now: datetime) -> bool:
    """An access token with less than 5 minutes left is refreshed first: a call that starts with it must not
    see it expire half-way (an upload of a large file). A token of unknown expiry is refreshed."""
    return expires_at is None or expires_at - now < REFRESH_MARGIN
