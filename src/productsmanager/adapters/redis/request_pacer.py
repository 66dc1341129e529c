"""`RedisRequestPacer`: the next free slot of each provider in Redis, taken by one Lua script.

The script reads Redis's own clock (`TIME`), so workers on machines whose clocks differ still space their
requests by the same measure, and it runs atomically, so two workers never take the same slot."""

from __future__ import annotations

from redis import Redis

from productsmanager.adapters.redis.availability import redis_reachable

_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
local ttl = math.ceil((slot + interval - now) * 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.6f', slot + interval), 'PX', ttl)
return string.format('%.6f', slot - now)
"""
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = now + tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > free then
  redis.call('SET', KEYS[1], string.format('%.6f', until_), 'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
return 1
"""


class RedisRequestPacer:
    def __init__(self, client: Redis, prefix: str = "pm:pace:") -> None:
        self._client = client
        self._prefix = prefix
        self._reserve = client.register_script(_RESERVE)
        self._hold = client.register_script(_HOLD)

    def reserve(self, key: str, interval: float) -> float:
        with redis_reachable():
            wait = self._reserve(keys=[self._prefix + key], args=[f"{max(0.0, interval):.6f}"])
        return max(0.0, float(wait))

    def hold(self, key: str, seconds: float) -> None:
        with redis_reachable():
            self._hold(keys=[self._prefix + key], args=[f"{max(0.0, seconds):.6f}"])
