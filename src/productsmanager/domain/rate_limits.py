"""Rate limits in fixed windows: `limit` events per `window`, counted per key (an e-mail, a client address,
an account and a client), and the rule that decides when a login is refused.

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
        """The counter of `subject` in the window holding `now`. The subject comes before the window, so every
        counter of a subject (or of a subject's head, see `prefix`) shares a key prefix and can be cleared."""
        return f"{self.name}:{subject}:{self.window_index(now)}"

    def prefix(self, head: str) -> str:
        """The start of the key of every counter whose subject is `head` or starts with `head:`."""
        return f"{self.name}:{head}:"

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the window ends, at least 1 (the value of a `Retry-After` header)."""
        return max(1, math.ceil((self.window_end(now) - now).total_seconds()))

    def exceeded(self, count: int) -> bool:
        return count > self.limit


def pair_subject(account: str, client: str) -> str:
    """The subject of a per (account, client) counter: the account first, so its counters share a prefix."""
    return f"{account}:{client}"


@frozen
class LoginFailures:
    """The failed logins counted in the current windows, as seen by one client trying one account."""

    client: int = 0  # from this client, whatever the account
    pair: int = 0  # against this account, from this client
    account: int = 0  # against this account, from every client


@frozen
class AuthLimits:
    """The limits of the login and password-reset endpoints; counts per 15 minutes by default.

    Login failures follow OWASP's authentication cheat sheet, without letting anyone lock anyone out: a
    client is refused after `login_failures_per_account` failures against one account, or after
    `login_failures_per_client` failures whatever the accounts; an account-wide ceiling catches guessing
    spread over many clients, and only slows that: past it, a client that has itself failed against the
    account is refused until the window ends, while a client that has not failed is still heard: the right
    password from a client that has not failed always gets in. The ceiling answers 429 rather than making
    logins wait, because a wait holds a server worker per attempt, which would slow everyone down."""

    reset_per_email: RateLimit = RateLimit("reset-email", 3, timedelta(minutes=15))
    reset_per_client: RateLimit = RateLimit("reset-client", 20, timedelta(minutes=15))
    login_failures_per_account: RateLimit = RateLimit("login-account-client", 5, timedelta(minutes=15))
    login_failures_per_client: RateLimit = RateLimit("login-client", 30, timedelta(minutes=15))
    login_failures_account_ceiling: RateLimit = RateLimit("login-ceiling", 100, timedelta(minutes=15))

    def login_refusal(self, failures: LoginFailures) -> RateLimit | None:
        """The limit that refuses this client's next login to this account (checked before the password),
        or None when the login may go ahead."""
        if failures.client >= self.login_failures_per_client.limit:
            return self.login_failures_per_client
        if failures.pair >= self.login_failures_per_account.limit:
            return self.login_failures_per_account
        if failures.pair > 0 and failures.account >= self.login_failures_account_ceiling.limit:
            return self.login_failures_account_ceiling
        return None
