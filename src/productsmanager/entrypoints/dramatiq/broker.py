"""Broker set-up of the worker processes: the container's broker (Redis with short timeouts in production; a
stub broker when no Redis is configured: tests, embedded) made the one the actors are declared on."""

from __future__ import annotations

import dramatiq

from productsmanager.config import Config
from productsmanager.container.factories import build_broker


def setup_broker(config: Config) -> dramatiq.Broker:
    broker = build_broker(config)
    dramatiq.set_broker(broker)
    return broker
