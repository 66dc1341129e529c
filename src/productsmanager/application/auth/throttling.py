"""Throttling of the login and password-reset endpoints, on a `RateCounter` shared by every process.

E-mail addresses are counted by a hash of their case-folded form, so counters (Redis keys, table rows)
never hold an address."""

from __future__ import annotations

import hashlib

from productsmanager.application.auth.ports import RateCounter
from productsmanager.application.ports import Clock
from productsmanager.domain.errors import TooManyRequests
from productsmanager.domain.rate_limits import AuthLimits, RateLimit
from productsmanager.domain.users import email_key


def account_subject(email: str) -> str:
    return hashlib.sha256(email_key(email).encode()).hexdigest()[:32]


class Throttle:
    def __init__(self, counter: RateCounter, clock: Clock, limits: AuthLimits | None = None) -> None:
        self._counter = counter
        self._clock = clock
        self.limits = limits or AuthLimits()

    def charge(self, limit: RateLimit, subject: str) -> None:
        """Counts one request; raises `TooManyRequests` once more than `limit.limit` came in the window."""
        now = self._clock.now()
        if limit.exceeded(self._counter.hit(limit.counter_key(subject, now), limit.window)):
            raise TooManyRequests(_message(limit), retry_after=limit.retry_after(now))

    def refuse_if_spent(self, limit: RateLimit, subject: str) -> None:
        """Raises `TooManyRequests` when `limit.limit` events were already counted in the window (without
        counting this one): a login is refused before its password is even checked."""
        now = self._clock.now()
        if self._counter.count(limit.counter_key(subject, now)) >= limit.limit:
            raise TooManyRequests(_message(limit), retry_after=limit.retry_after(now))

    def record(self, limit: RateLimit, subject: str) -> None:
        now = self._clock.now()
        self._counter.hit(limit.counter_key(subject, now), limit.window)


def _message(limit: RateLimit) -> str:
    minutes = int(limit.window.total_seconds() // 60)
    return f"too many attempts: at most {limit.limit} in {minutes} minutes; try again later"
