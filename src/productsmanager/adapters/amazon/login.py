"""Login with Amazon: a refresh token exchanged for an access token (`grant_type=refresh_token`), the access token
kept by the process until shortly before it expires and shared by its threads.

The request is a form POST to the token URL with `grant_type`, `refresh_token`, `client_id` and `client_secret`;
the answer `{"access_token": "Atza|...", "token_type": "bearer", "expires_in": 3600, ...}`. Refusals are OAuth 2.0
errors: 400 `invalid_grant` (the refresh token is wrong, expired or revoked), 401 `invalid_client` (client id or
secret), both credentials a person must fix."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

from productsmanager.adapters.amazon.wire import AmazonHttp, error_codes, json_object
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.code2asin.config_ports import AmazonCredentials
from productsmanager.application.code2asin.ports import AmazonBadCredentials, AmazonRateLimited, AmazonUnexpected

log = logging.getLogger(__name__)
EARLY_SECONDS = 60.0  # a token is renewed this long before it expires: a request never carries a dying one
REFUSED_CREDENTIALS = {"invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type"}
_TOKENS: dict[str, tuple[str, float]] = {}  # per process: (access token, monotonic time it is renewed at)
_LOCK = threading.Lock()


class LoginWithAmazon:
    def __init__(
        self,
        token_url: str,
        credentials: AmazonCredentials,
        timeout_seconds: float,
        guard: OutboundGuard,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        parts = urlsplit(token_url)
        self._http = AmazonHttp(urlunsplit((parts.scheme, parts.netloc, "", "", "")), timeout_seconds, guard)
        self._path = parts.path or "/"
        self._credentials, self._clock = credentials, clock
        seen = "\n".join((token_url, credentials.client_id, credentials.client_secret, credentials.refresh_token))
        self._key = hashlib.sha256(seen.encode()).hexdigest()  # new credentials never reuse an old token

    def access_token(self) -> str:
        """The process's access token for these credentials, signing in when there is none or it is due."""
        with _LOCK:  # one sign-in at a time: threads that wait then find the fresh token
            kept = _TOKENS.get(self._key)
            if kept is not None and self._clock() < kept[1]:
                return kept[0]
            token, expires_in = self._sign_in()
            _TOKENS[self._key] = (token, self._clock() + max(expires_in - EARLY_SECONDS, 0.0))
            return token

    def forget(self, token: str) -> None:
        """The API refused `token`: the next call signs in again (unless another thread already did)."""
        with _LOCK:
            if _TOKENS.get(self._key, ("", 0.0))[0] == token:
                del _TOKENS[self._key]

    def _sign_in(self) -> tuple[str, float]:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self._credentials.refresh_token,
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret,
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}
        answer = self._http.request("POST", self._path, headers=headers, body=urlencode(form).encode())
        if answer.status == 200:
            body = json_object(answer)
            token, expires_in = body.get("access_token"), body.get("expires_in")
            if (
                not isinstance(token, str)
                or not token
                or isinstance(expires_in, bool)
                or not isinstance(expires_in, int | float)
            ):
                log.warning("Login with Amazon: a 200 answer without access_token or expires_in")
                raise AmazonUnexpected("Login with Amazon's answer is not what it documents")
            return token, float(expires_in)
        code = error_codes(answer)
        log.warning("Login with Amazon refused to sign in: HTTP %d %s", answer.status, code or "(no error code)")
        if answer.status == 429:
            raise AmazonRateLimited("Login with Amazon asked to wait")
        if answer.status == 401 or code in REFUSED_CREDENTIALS:
            raise AmazonBadCredentials("Login with Amazon refused the credentials")
        raise AmazonUnexpected(f"Login with Amazon answered HTTP {answer.status}")


def forget_tokens() -> None:
    """Drops every access token the process keeps: the next call of each source signs in again (an application
    whose authorisation was revoked everywhere; tests that each start from none)."""
    with _LOCK:
        _TOKENS.clear()
