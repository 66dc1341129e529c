"""`RedisRateCounter`: rate-limit counters in Redis, one key per limit, window and subject."""

from __future__ import annotations

import math
from datetime import timedelta

from redis import Redis

from productsmanager.adapters.redis.availability import redis_reachable


class RedisRateCounter:
    """INCR and EXPIRE in one MULTI/EXEC, so a counter never lives without its expiry. Raises
    `DependencyUnavailable("redis")` when Redis cannot be reached."""

    def __init__(self, client: Redis, prefix: str = "pm:rate:") -> None:
        self._client = client
        self._prefix = prefix

    def hit(self, key: str, ttl: timedelta) -> int:
        pipeline = self._client.pipeline(transaction=True)
        pipeline.incr(self._prefix + key)
        pipeline.expire(self._prefix + key, max(1, math.ceil(ttl.total_seconds())), nx=True)
        with redis_reachable():
            count, _ = pipeline.execute()
        return int(count)

    def count(self, key: str) -> int:
        with redis_reachable():
            return int(self._client.get(self._prefix + key) or 0)
