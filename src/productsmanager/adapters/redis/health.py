"""The broker as the health report checks it: a PING on the broker's Redis, with its own short timeouts."""

from __future__ import annotations

from redis import Redis

CHECK_TIMEOUT_SECONDS = 2.0


class RedisBrokerCheck:
    name = "broker"
    backend = "redis"

    def __init__(self, url: str) -> None:
        # A client of its own: the check must not wait behind, or tie up, the connections requests use.
        self._client = Redis.from_url(
            url, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS
        )

    def check(self) -> None:
        self._client.ping()
