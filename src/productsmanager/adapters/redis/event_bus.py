"""`RedisEventBus`: progress events through Redis, for every API and worker process of a deployment.

A publish is one Lua script (atomic, one round trip): INCR the bus's sequence counter, store the topic's last
state under its own key (with a TTL of a day) and PUBLISH it on its kind's channel, so that channel order is
sequence order. A subscription listens on the channels of the kinds it needs and keeps the events of its
topics; `latest` reads the stored last states with one MGET."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import orjson
from redis import Redis
from redis.client import PubSub
from redis.exceptions import TimeoutError as RedisTimeoutError

from productsmanager.adapters.events.encoding import STATE_TTL_SECONDS, decode_event, encode_state
from productsmanager.adapters.redis.availability import redis_reachable
from productsmanager.domain.events import ProgressEvent, Topic, TopicKind, covered

SUBSCRIBE_SECONDS = 5.0  # for Redis to confirm a subscription before the stream gives up (503)

# KEYS: counter, state key. ARGV: topic (JSON string), state (JSON), TTL seconds, channel.
PUBLISH = """
local sequence = redis.call('INCR', KEYS[1])
local payload = '{"sequence":' .. sequence .. ',"topic":' .. ARGV[1] .. ',"state":' .. ARGV[2] .. '}'
redis.call('SET', KEYS[2], payload, 'EX', tonumber(ARGV[3]))
redis.call('PUBLISH', ARGV[4], payload)
return sequence
"""

log = logging.getLogger(__name__)


class RedisEventBus:
    def __init__(self, client: Redis, prefix: str = "pm:events:") -> None:
        self._client = client
        self._prefix = prefix
        self._publish = client.register_script(PUBLISH)

    def publish(self, topic: Topic, state: Mapping[str, Any]) -> None:
        encoded = encode_state(topic, state)
        if encoded is None:
            return
        keys = [self._prefix + "sequence", self._state_key(topic)]
        args = [orjson.dumps(str(topic)).decode(), encoded, STATE_TTL_SECONDS, self._channel(topic.kind)]
        try:
            self._publish(keys=keys, args=args)
        except Exception:  # the work goes on: watchers lose a live update, the job's own record keeps it
            log.warning("progress event of %s not published to Redis", topic, exc_info=True)

    def subscribe(self, topics: Sequence[Topic]) -> RedisSubscription:
        channels = sorted({self._channel(topic.kind) for topic in topics})
        pubsub = self._client.pubsub(ignore_subscribe_messages=False)
        try:
            with redis_reachable():
                pubsub.subscribe(*channels)
                _confirmed(pubsub, len(channels))
        except BaseException:
            pubsub.close()
            raise
        return RedisSubscription(pubsub, tuple(topics))

    def latest(self, topics: Sequence[Topic]) -> list[ProgressEvent]:
        exact = [topic for topic in topics if topic.id is not None]
        if not exact:
            return []
        with redis_reachable():
            values = self._client.mget([self._state_key(topic) for topic in exact])
        events = [event for value in values if value is not None and (event := _event(value)) is not None]
        return sorted(events, key=lambda event: event.sequence)

    def _state_key(self, topic: Topic) -> str:
        return f"{self._prefix}state:{topic}"

    def _channel(self, kind: TopicKind) -> str:
        return f"{self._prefix}channel:{kind.value}"


class RedisSubscription:
    def __init__(self, pubsub: PubSub, topics: tuple[Topic, ...]) -> None:
        self._pubsub = pubsub
        self._topics = topics

    def __enter__(self) -> RedisSubscription:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._pubsub.close()

    def wait(self, timeout: float) -> list[ProgressEvent]:
        """Waits for the first message up to `timeout`, then takes whatever else has already arrived."""
        deadline = time.monotonic() + max(0.0, timeout)
        found: list[ProgressEvent] = []
        with redis_reachable():
            while True:
                wait = 0.0 if found else max(0.0, deadline - time.monotonic())
                message = self._pubsub.get_message(timeout=wait)
                if message is None:
                    if found or time.monotonic() >= deadline:
                        return found
                    continue
                if message.get("type") != "message":
                    continue
                event = _event(message["data"])
                if event is not None and covered(self._topics, event):
                    found.append(event)


def _confirmed(pubsub: PubSub, count: int) -> None:
    """Redis has registered every channel: an event published from now on reaches this subscription."""
    deadline = time.monotonic() + SUBSCRIBE_SECONDS
    confirmed = 0
    while confirmed < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RedisTimeoutError("Redis did not confirm the subscription")
        message = pubsub.get_message(timeout=remaining)
        if message is not None and message.get("type") == "subscribe":
            confirmed += 1


def _event(raw: bytes | str) -> ProgressEvent | None:
    try:
        payload = orjson.loads(raw)
        return decode_event(str(payload["topic"]), int(payload["sequence"]), orjson.dumps(payload["state"]).decode())
    except (ValueError, KeyError, TypeError):
        return None
