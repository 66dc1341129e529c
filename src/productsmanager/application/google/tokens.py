"""A fresh access token for every Drive call, refreshed before it expires by one process at a time.

Many API processes and workers share the one connection. When the token nears its expiry they would all ask
Google for a new one at once (a refresh storm, which Google rate-limits); instead the first to see it claims the
refresh (a Redis lock when there is one, else a compare-and-set lease on the token row: either ends by itself
when a process dies holding it), and the others wait for the row to carry a newer token, then use it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from attrs import evolve

from productsmanager.application.google.ports import (
    GoogleOAuth,
    GoogleUnavailable,
    InvalidGrant,
    RefreshLock,
    StoredToken,
)
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.google.oauth import ConnectionStatus, needs_refresh

REFRESH_LEASE = timedelta(seconds=30)
WAIT_POLL_SECONDS = 0.05


class GoogleNotConnected(ProductsManagerError):
    """No Google account is connected: an admin connects one first."""

    code = "google_not_connected"


class GoogleReconnectNeeded(ProductsManagerError):
    """Google refused the stored refresh token (revoked or expired): an admin must connect the account again."""

    code = "google_reconnect_needed"

    def __init__(self) -> None:
        super().__init__("Google Drive: reconnect needed (Google no longer accepts the stored authorization)")


class GoogleTokens:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        oauth: GoogleOAuth,
        secrets: SecretBox,
        clock: Clock,
        lock: RefreshLock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wait_seconds: float = REFRESH_LEASE.total_seconds(),
    ) -> None:
        self._lock = lock
        self._uow = uow
        self._oauth = oauth
        self._secrets = secrets
        self._clock = clock
        self._sleep = sleep
        self._wait_seconds = wait_seconds

    def access_token(self, *, force_refresh: bool = False) -> str:
        """The current access token, refreshed first when it has less than 5 minutes left (or `force_refresh`:
        Drive answered 401 to it)."""
        stale: StoredToken | None = self._current() if force_refresh else None
        waited = 0.0
        while True:
            token = self._current()
            fresh = stale is None or token.updated_at > stale.updated_at
            if fresh and not needs_refresh(token.expires_at, self._clock.now()):
                return self._secrets.decrypt(token.access_encrypted)
            claim = self._claim()
            if claim is not None:
                try:
                    return self._refresh(token)
                finally:
                    self._release(claim)
            if waited >= self._wait_seconds:
                raise GoogleUnavailable("Google's token refresh by another process did not finish: try again")
            self._sleep(WAIT_POLL_SECONDS)
            waited += WAIT_POLL_SECONDS

    def _current(self) -> StoredToken:
        with self._uow() as uow:
            token = uow.google.token()
        if token is None or token.status is ConnectionStatus.DISCONNECTED:
            raise GoogleNotConnected("Google Drive is not connected: an admin connects it first")
        if token.status is ConnectionStatus.RECONNECT_NEEDED:
            raise GoogleReconnectNeeded()
        return token

    def _claim(self) -> str | None:
        if self._lock is not None:
            return self._lock.acquire(REFRESH_LEASE.total_seconds())
        now = self._clock.now()
        with self._uow() as uow:
            claimed = uow.google.claim_refresh(now, now + REFRESH_LEASE)
            uow.commit()
        return "row" if claimed else None

    def _refresh(self, token: StoredToken) -> str:
        """Under the claim (released by the caller, whatever happens here)."""
        with self._uow() as uow:  # re-read: another process may have refreshed between our read and the claim
            latest = uow.google.token()
        if latest is not None and self._renewed(latest, token):
            return self._secrets.decrypt(latest.access_encrypted)
        try:
            grant = self._oauth.refresh(self._secrets.decrypt(token.refresh_encrypted))
        except InvalidGrant:
            with self._uow() as uow:
                uow.google.set_status(ConnectionStatus.RECONNECT_NEEDED, self._clock.now())
                uow.commit()
            raise GoogleReconnectNeeded() from None
        now = self._clock.now()
        renewed = evolve(
            token,
            access_encrypted=self._secrets.encrypt(grant.access_token),
            refresh_encrypted=self._secrets.encrypt(grant.refresh_token)
            if grant.refresh_token
            else token.refresh_encrypted,
            expires_at=now + timedelta(seconds=grant.expires_in),
            scopes=grant.scopes or token.scopes,
            updated_at=max(now, token.updated_at + timedelta(microseconds=1)),
        )
        with self._uow() as uow:
            renewed_row = uow.google.renew_token(renewed)
            uow.commit()
        if not renewed_row:  # disconnected meanwhile: the new token is not kept, nor used
            raise GoogleNotConnected("Google Drive was disconnected")
        return grant.access_token

    def _renewed(self, latest: StoredToken, seen: StoredToken) -> bool:
        """Another process refreshed the token since `seen` was read, and it is still good."""
        newer = latest.updated_at > seen.updated_at and latest.status is ConnectionStatus.CONNECTED
        return newer and not needs_refresh(latest.expires_at, self._clock.now())

    def _release(self, claim: str) -> None:
        if self._lock is not None:
            self._lock.release(claim)
            return
        with self._uow() as uow:
            uow.google.release_refresh()
            uow.commit()
