"""`RedisRefreshLock`: which process refreshes a shared OAuth token now. `SET key claim NX PX` takes it (with a
lifetime, so a process that dies holding it blocks nobody for long); it is given back only by its holder (a
compare-and-delete script), never by a process whose claim had run out and been taken by another. Raises
`DependencyUnavailable("redis")` when Redis cannot be reached."""

from __future__ import annotations

import uuid

from redis import Redis

from productsmanager.adapters.redis.availability import redis_reachable

_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class RedisRefreshLock:
    def __init__(self, client: Redis, key: str = "pm:oauth:google:refresh") -> None:
        self._client = client
        self._key = key
        self._release = client.register_script(_RELEASE)

    def acquire(self, seconds: float) -> str | None:
        claim = uuid.uuid4().hex
        with redis_reachable():
            taken = self._client.set(self._key, claim, nx=True, px=max(1, int(seconds * 1000)))
        return claim if taken else None

    def release(self, claim: str) -> None:
        with redis_reachable():
            self._release(keys=[self._key], args=[claim])
