"""Rate limits in fixed windows: `limit` events per `window`, counted per key (an e-mail, a client address).

Fixed windows aligned on the epoch are what every backend can count atomically (a Redis INCR with an
expiry, a database upsert); a burst across a boundary can reach twice the limit, which is acceptable for
slowing down guessing and mail floods."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from attrs import frozen

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@frozen
class RateLimit:
    name: str  # part of the counter key: limits with different names never share a count
    limit: int
    window: timedelta

    def window_index(self, now: datetime) -> int:
        return int((now - _EPOCH) // self.window)

    def window_end(self, now: datetime) -> datetime:
        return _EPOCH + self.window * (self.window_index(now) + 1)

    def counter_key(self, subject: str, now: datetime) -> str:
        """The counter of `subject` in the window holding `now`."""
        return f"{self.name}:{self.window_index(now)}:{subject}"

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the window ends, at least 1 (the value of a `Retry-After` header)."""
        return max(1, math.ceil((self.window_end(now) - now).total_seconds()))

    def exceeded(self, count: int) -> bool:
        return count > self.limit


@frozen
class AuthLimits:
    """The limits of the login and password-reset endpoints; counts per 15 minutes by default."""

    reset_per_email: RateLimit = RateLimit("reset-email", 3, timedelta(minutes=15))
    reset_per_client: RateLimit = RateLimit("reset-client", 20, timedelta(minutes=15))
    login_failures_per_account: RateLimit = RateLimit("login-account", 5, timedelta(minutes=15))
    login_failures_per_client: RateLimit = RateLimit("login-client", 30, timedelta(minutes=15))
