"""`RedisRateCounter`: rate-limit counters in Redis, one key per limit, subject and window."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from redis import Redis

from productsmanager.adapters.redis.availability import redis_reachable

SCAN_BATCH = 1000
_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


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

    def clear(self, prefix: str) -> int:
        """SCAN for the prefix, then DEL what it found: incremental, so a large keyspace never blocks Redis,
        at the cost of a walk over the database's keys. That suits an admin's occasional unlock (an index of
        keys per account would make every counted failure pay instead)."""
        pattern = _GLOB_SPECIAL.sub(r"\\\1", self._prefix + prefix) + "*"
        removed = 0
        batch: list[bytes] = []
        with redis_reachable():
            for key in self._client.scan_iter(match=pattern, count=SCAN_BATCH):
                batch.append(key)
                if len(batch) >= SCAN_BATCH:
                    removed += int(self._client.delete(*batch))
                    batch = []
            if batch:
                removed += int(self._client.delete(*batch))
        return removed
