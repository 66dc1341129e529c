"""Broker set-up: Redis in production; a stub broker when no Redis is configured (tests, embedded)."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from productsmanager.config import Config

QUEUES = ("default", "media", "imports", "odoo")


def setup_broker(config: Config) -> dramatiq.Broker:
    broker: dramatiq.Broker = RedisBroker(url=config.redis_url) if config.redis_url else StubBroker()
    dramatiq.set_broker(broker)
    return broker
