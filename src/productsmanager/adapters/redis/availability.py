"""Redis errors that mean "Redis cannot be reached now", translated into the ports' `DependencyUnavailable`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from productsmanager.application.dependencies import DependencyUnavailable

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)  # refused, reset, DNS, socket timeouts, still loading


@contextmanager
def redis_reachable(dependency: str = "redis") -> Iterator[None]:
    """Inside it, a connection or timeout failure raises `DependencyUnavailable(dependency)`; any other Redis
    error (a script bug, a wrong type) is raised as it is, since waiting would not cure it."""
    try:
        yield
    except UNREACHABLE as error:
        raise DependencyUnavailable(dependency, f"{type(error).__name__}: {error}") from error
