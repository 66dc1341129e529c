"""Throttling of the login and password-reset endpoints, on a `RateCounter` shared by every process.

E-mail addresses are counted by a hash of their case-folded form, so counters (Redis keys, table rows)
never hold an address. Failed logins are counted three ways (per client, per account and client, per
account); `AuthLimits.login_refusal` decides from those counts, and an admin can clear an account's."""

from __future__ import annotations

import hashlib
import logging

from productsmanager.application.auth.ports import RateCounter
from productsmanager.application.ports import Clock
from productsmanager.domain.errors import TooManyRequests
from productsmanager.domain.rate_limits import AuthLimits, LoginFailures, RateLimit, pair_subject
from productsmanager.domain.users import email_key

log = logging.getLogger(__name__)


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

    def refuse_login(self, email: str, client: str) -> None:
        """Raises `TooManyRequests` when `client` may not try the account of `email` now, before its
        password is even checked (see `AuthLimits.login_refusal`)."""
        now = self._clock.now()
        account = account_subject(email)
        limits = self.limits
        failures = LoginFailures(
            client=self._counter.count(limits.login_failures_per_client.counter_key(client, now)),
            pair=self._counter.count(limits.login_failures_per_account.counter_key(pair_subject(account, client), now)),
            account=self._counter.count(limits.login_failures_account_ceiling.counter_key(account, now)),
        )
        refusing = limits.login_refusal(failures)
        if refusing == limits.login_failures_account_ceiling:
            message = "too many failed logins to this account: after a failed attempt, wait before the next"
            raise TooManyRequests(message, retry_after=refusing.retry_after(now))
        if refusing is not None:
            raise TooManyRequests(_message(refusing), retry_after=refusing.retry_after(now))

    def count_login_failure(self, email: str, client: str, who: str = "an unknown account") -> None:
        """Counts a failed login (or a wrong current password) of `client` against the account of `email`.
        Each lock-out and the account-wide ceiling are logged once, when reached (`who` names the account
        in the log without its address)."""
        now = self._clock.now()
        account = account_subject(email)
        limits = self.limits
        per_client = limits.login_failures_per_client
        self._counter.hit(per_client.counter_key(client, now), per_client.window)
        pair = limits.login_failures_per_account
        if self._counter.hit(pair.counter_key(pair_subject(account, client), now), pair.window) == pair.limit:
            log.warning("client %s is refused logins to %s after %d failures", client, who, pair.limit)
        ceiling = limits.login_failures_account_ceiling
        if self._counter.hit(ceiling.counter_key(account, now), ceiling.window) == ceiling.limit:
            log.warning(
                "%s reached %d failed logins from all clients: clients that failed against it are refused "
                "until the window ends; the others are still heard",
                who,
                ceiling.limit,
            )

    def clear_login_failures(self, email: str) -> int:
        """Forgets every failure counted against the account of `email` (per client and account-wide);
        failures counted per client alone stay, as they describe the client, not the account."""
        account = account_subject(email)
        limits = self.limits
        return self._counter.clear(limits.login_failures_per_account.prefix(account)) + self._counter.clear(
            limits.login_failures_account_ceiling.prefix(account)
        )


def _message(limit: RateLimit) -> str:
    minutes = int(limit.window.total_seconds() // 60)
    return f"too many attempts: at most {limit.limit} in {minutes} minutes; try again later"
