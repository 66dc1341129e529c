"""Sends tasks to Dramatiq workers by actor name (the task's name in `TASKS`), so that adapters need not import
the entrypoints. A broker that cannot be reached raises `DependencyUnavailable("broker")`: the caller decides
whether the work is kept (recorded as pending, swept later) or refused with 503."""

from __future__ import annotations

import uuid

import dramatiq
from dramatiq.errors import BrokerConnectionError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.tasks import TASKS, TaskDispatcher

# The Redis broker lets the client's own errors through; other brokers raise dramatiq's.
UNREACHABLE = (BrokerConnectionError, RedisConnectionError, RedisTimeoutError)


def primitive(value: object) -> object:
    """What a message carries, as JSON can: ids as strings, lists of ids as lists of strings."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return [primitive(item) for item in value]
    return value


class DramatiqTaskQueue(TaskDispatcher):
    def __init__(self, broker: dramatiq.Broker) -> None:
        self._broker = broker

    def drain(self, timeout: float = 30.0) -> bool:
        """True at once: nothing runs in this process. The workers' progress is in the records they keep."""
        return True

    def _dispatch(self, task: str, *args: object) -> None:
        queue = TASKS[task].value
        message = dramatiq.Message(
            queue_name=queue, actor_name=task, args=tuple(primitive(arg) for arg in args), kwargs={}, options={}
        )
        try:
            self._broker.enqueue(message)
        except UNREACHABLE as error:
            raise DependencyUnavailable("broker", f"{task} on {queue}: {type(error).__name__}: {error}") from error
