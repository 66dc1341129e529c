"""Password reset tokens: the rules that make a reset link safe to put in an e-mail."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from attrs import frozen


@frozen
class ResetTokenRecord:
    """What is stored for a token: never the token, only its SHA-256 (a leaked store grants nothing)."""

    token_hash: str
    user_id: uuid.UUID
    issued_at: datetime


@frozen
class ResetTokenRules:
    """A token lives `lifetime` from its issue, to the exact instant (issued at 14:45 with 15 minutes: valid
    at 14:59:59.999, refused at 15:00:00); it is used once, and issuing a newer one for the same user
    supersedes every older one (the store keeps one token per user)."""

    lifetime: timedelta = timedelta(minutes=15)

    def expires_at(self, issued_at: datetime) -> datetime:
        return issued_at + self.lifetime

    def is_expired(self, issued_at: datetime, now: datetime) -> bool:
        return now >= self.expires_at(issued_at)

    def usable(self, record: ResetTokenRecord | None, now: datetime) -> bool:
        """A record the store still holds (so: not used, not superseded) that has not expired."""
        return record is not None and not self.is_expired(record.issued_at, now)

    @property
    def lifetime_minutes(self) -> int:
        return max(1, int(self.lifetime.total_seconds() // 60))
