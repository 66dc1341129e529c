"""In-memory fakes of the password-reset ports: the token store, the rate counter and a mailer that keeps
what it was given."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from productsmanager.application.mail.ports import EmailMessage, MailDeliveryFailed
from productsmanager.application.ports import Clock
from productsmanager.domain.password_reset import ResetTokenRecord


class FakeResetTokenStore:
    def __init__(self) -> None:
        self.records: dict[str, ResetTokenRecord] = {}
        self._lock = threading.Lock()

    def issue(self, record: ResetTokenRecord, ttl: timedelta) -> None:
        with self._lock:
            self.records = {h: r for h, r in self.records.items() if r.user_id != record.user_id}
            self.records[record.token_hash] = record

    def find(self, token_hash: str) -> ResetTokenRecord | None:
        return self.records.get(token_hash)

    def take(self, token_hash: str) -> ResetTokenRecord | None:
        with self._lock:
            return self.records.pop(token_hash, None)


class FakeRateCounter:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.counters: dict[str, tuple[int, datetime]] = {}

    def hit(self, key: str, ttl: timedelta) -> int:
        count = self.count(key) + 1
        expires = self.counters[key][1] if key in self.counters and count > 1 else self._clock.now() + ttl
        self.counters[key] = (count, expires)
        return count

    def count(self, key: str) -> int:
        count, expires = self.counters.get(key, (0, self._clock.now()))
        return count if expires > self._clock.now() else 0

    def clear(self, prefix: str) -> int:
        doomed = [key for key in self.counters if key.startswith(prefix)]
        for key in doomed:
            del self.counters[key]
        return len(doomed)


class RecordingMailer:
    def __init__(self, failures: list[MailDeliveryFailed] | None = None) -> None:
        self.sent: list[EmailMessage] = []
        self.failures = list(failures or [])

    def send(self, message: EmailMessage) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
