"""`RedisResetTokenStore`: reset tokens in Redis with the token's lifetime as TTL, so nothing outlives it.

Keys: `{prefix}token:{sha256}` holds the record (JSON), `{prefix}user:{user id}` the hash of the user's
current token. Issuing runs as one Lua script (atomic: the older token is deleted in the same step), and
taking is `GETDEL`, so a token is used at most once even when two requests race. Every call raises
`DependencyUnavailable("redis")` when Redis cannot be reached."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta

import orjson
from redis import Redis

from productsmanager.adapters.redis.availability import redis_reachable
from productsmanager.domain.password_reset import ResetTokenRecord

_ISSUE = """
local previous = redis.call('GET', KEYS[2])
if previous then redis.call('DEL', ARGV[3] .. previous) end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[2])
return 1
"""


class RedisResetTokenStore:
    def __init__(self, client: Redis, prefix: str = "pm:reset:") -> None:
        self._client = client
        self._prefix = prefix
        self._issue = client.register_script(_ISSUE)

    def issue(self, record: ResetTokenRecord, ttl: timedelta) -> None:
        value = orjson.dumps({"user_id": str(record.user_id), "issued_at": record.issued_at.isoformat()})
        seconds = max(1, math.ceil(ttl.total_seconds()))
        keys = [self._token_key(record.token_hash), f"{self._prefix}user:{record.user_id}"]
        with redis_reachable():
            self._issue(keys=keys, args=[value, seconds, f"{self._prefix}token:", record.token_hash])

    def find(self, token_hash: str) -> ResetTokenRecord | None:
        with redis_reachable():
            raw = self._client.get(self._token_key(token_hash))
        return _record(token_hash, raw)

    def take(self, token_hash: str) -> ResetTokenRecord | None:
        with redis_reachable():
            raw = self._client.getdel(self._token_key(token_hash))
        return _record(token_hash, raw)

    def _token_key(self, token_hash: str) -> str:
        return f"{self._prefix}token:{token_hash}"


def _record(token_hash: str, raw: bytes | str | None) -> ResetTokenRecord | None:
    if raw is None:
        return None
    data = orjson.loads(raw)
    return ResetTokenRecord(token_hash, uuid.UUID(data["user_id"]), datetime.fromisoformat(data["issued_at"]))
