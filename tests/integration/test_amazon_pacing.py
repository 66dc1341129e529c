"""The Amazon adapter and Amazon's rate limit, against the fake: workers sharing the pace through Redis are never
throttled, a rate set too high is brought down to the one Amazon states on its answers, and 429 after 429 ends in
`AmazonRateLimited` after a bounded number of tries and a bounded wait, never a storm."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from redis import Redis

from productsmanager.adapters.redis.request_pacer import RedisRequestPacer
from productsmanager.application.code2asin.ports import AmazonRateLimited
from productsmanager.domain.gtin import Gtin
from tests.integration.amazon_world import (
    FR,
    PEN,
    LocalPacer,
    no_tokens_kept,  # noqa: F401 - autouse fixture
    searches,
    source,
)
from tests.integration.fake_amazon import fake_amazon

pytestmark = pytest.mark.integration


def test_workers_together_stay_under_amazons_rate() -> None:
    """Three workers, each with its own adapter, share the pace through Redis: Amazon never has to throttle."""
    client = Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=5)
    prefix = f"pm:test:amazon:{uuid.uuid4().hex}:"
    failures: list[BaseException] = []
    with fake_amazon() as fake:
        fake.add_item([PEN], "B000TESTPN")

        def work() -> None:
            catalog = source(fake, pacer=RedisRequestPacer(client, prefix=prefix))
            try:
                for _ in range(3):
                    catalog.search([Gtin.parse(PEN)], FR)
            except BaseException as error:  # reported by the assertion below
                failures.append(error)

        workers = [threading.Thread(target=work) for _ in range(3)]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        elapsed = time.monotonic() - started
        statuses = searches(fake)
        assert failures == [] and statuses == [200] * 9
        assert fake.never_over_rate() and elapsed >= 8 * 0.5  # nine requests at two a second
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


def test_a_rate_set_too_high_is_brought_down_to_the_one_amazon_states() -> None:
    with fake_amazon(rate=2.0, burst=2) as fake:
        fake.add_item([PEN], "B000TESTPN")
        catalog = source(fake, requests_per_second=50)
        started = time.monotonic()
        for _ in range(6):
            catalog.search([Gtin.parse(PEN)], FR)
        elapsed = time.monotonic() - started
        assert searches(fake) == [200] * 6 and fake.never_over_rate()
    assert elapsed >= 4 * 0.5  # the first answer said 2 a second: the five after it follow that rate


def test_429_after_429_gives_up_after_a_bounded_number_of_tries() -> None:
    with fake_amazon(throttled=True) as fake:
        started = time.monotonic()
        with pytest.raises(AmazonRateLimited):
            source(fake, requests_per_second=50).search([Gtin.parse(PEN)], FR)
        assert time.monotonic() - started < 3
        assert searches(fake) == [429, 429, 429]


def test_a_rate_that_leaves_no_request_free_soon_is_given_up_at_once() -> None:
    with fake_amazon(rate=0.01, burst=1) as fake:
        pacer = LocalPacer()
        catalog = source(fake, pacer=pacer, requests_per_second=50)
        catalog.search([Gtin.parse(PEN)], FR)
        with pytest.raises(AmazonRateLimited) as limited:
            catalog.search([Gtin.parse(PEN)], FR)
        assert searches(fake) == [200, 429]
    assert limited.value.retry_after == pytest.approx(105.0) and pacer.holds == [pytest.approx(105.0)]


def test_retry_after_is_honoured_when_amazon_gives_it() -> None:
    with fake_amazon(throttled=True, retry_after="0.2") as fake:
        pacer = LocalPacer()
        with pytest.raises(AmazonRateLimited) as limited:
            source(fake, pacer=pacer).search([Gtin.parse(PEN)], FR)
        assert searches(fake) == [429, 429, 429]
    assert pacer.holds == [pytest.approx(0.2)] * 3 and limited.value.retry_after == pytest.approx(0.2)
