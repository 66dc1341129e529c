"""Ports of the password-reset and throttling use cases: where reset tokens and rate counters live (Redis in
production, the database on the embedded default)."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from productsmanager.domain.password_reset import ResetTokenRecord


class ResetTokenStore(Protocol):
    """Every method raises `DependencyUnavailable` when the store's server cannot be reached."""

    def issue(self, record: ResetTokenRecord, ttl: timedelta) -> None:
        """Stores the record for at least `ttl` and drops every older token of the same user, in one
        atomic step (two concurrent requests leave exactly one usable token)."""
        ...

    def find(self, token_hash: str) -> ResetTokenRecord | None:
        """The record if the token is still held (not used, not superseded); expiry is the domain's rule."""
        ...

    def take(self, token_hash: str) -> ResetTokenRecord | None:
        """Removes and returns the record atomically: of two concurrent takes, exactly one gets it."""
        ...


class RateCounter(Protocol):
    """Every method raises `DependencyUnavailable` when the counters' server cannot be reached."""

    def hit(self, key: str, ttl: timedelta) -> int:
        """Adds one to the counter `key` (created to live `ttl`) and returns its new value, atomically."""
        ...

    def count(self, key: str) -> int:
        """The counter's value, 0 when it does not exist (or has expired)."""
        ...

    def clear(self, prefix: str) -> int:
        """Removes every counter whose key starts with `prefix` (an admin unlocking an account); returns how
        many were removed."""
        ...
