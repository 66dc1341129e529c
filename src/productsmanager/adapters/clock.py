"""The real clock; tests use a fake one to stand exactly on expiry boundaries."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
