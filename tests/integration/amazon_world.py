"""What the Amazon adapter's tests share: the adapter pointed at a fake Amazon, and a pacer for one process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from attrs import evolve

from productsmanager.adapters.amazon.catalog import SpApiCatalog
from productsmanager.adapters.amazon.factory import build_amazon_source
from productsmanager.adapters.amazon.login import forget_tokens
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.code2asin.config_ports import AmazonCredentials
from productsmanager.application.enrichment.ports import RequestPacer
from productsmanager.domain.code2asin.config import AmazonConfig
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES
from tests.integration.fake_amazon import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_PATH, FakeAmazon

LOOPBACK = OutboundGuard.allowing("127.0.0.1")
FR = MARKETPLACES["amazon.fr"]
PEN, BOOK, NOWHERE = "4006381333931", "9782070612758", "3700123456780"
CREDENTIALS = AmazonCredentials(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)


class LocalPacer:
    """Slots spaced by the interval on the real clock, for one process (the Redis pacer is used where several
    workers share the pace)."""

    def __init__(self) -> None:
        self._free: dict[str, float] = {}
        self._lock = threading.Lock()
        self.holds: list[float] = []

    def reserve(self, key: str, interval: float) -> float:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._free.get(key, 0.0))
            self._free[key] = slot + interval
            return slot - now

    def hold(self, key: str, seconds: float) -> None:
        with self._lock:
            self.holds.append(seconds)
            self._free[key] = max(self._free.get(key, 0.0), time.monotonic() + seconds)


def source(
    fake: FakeAmazon, *, credentials: AmazonCredentials = CREDENTIALS, pacer: RequestPacer | None = None,
    guard: OutboundGuard = LOOPBACK, **settings: object,
) -> SpApiCatalog:  # fmt: skip
    config = AmazonConfig(endpoint=fake.base_url, token_url=fake.base_url + TOKEN_PATH, timeout_seconds=2.0)
    return build_amazon_source(evolve(config, **settings), credentials, guard, pacer or LocalPacer())


def logins(fake: FakeAmazon) -> int:
    return sum(1 for r in fake.requests if r.path == TOKEN_PATH)


def searches(fake: FakeAmazon) -> list[int]:
    """The statuses of the catalog requests, in order."""
    return [r.status for r in fake.requests if r.path != TOKEN_PATH]


@pytest.fixture(autouse=True)
def no_tokens_kept() -> Iterator[None]:
    """Each test signs in afresh: a fake on a port an earlier one had would otherwise see that one's token."""
    forget_tokens()
    yield
    forget_tokens()
