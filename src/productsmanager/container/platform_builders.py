"""Builders of what every capability shares: the secret box, the outbound guard, the Redis client of the
shared state, the health checks (lazy imports keep processes that never use an adapter from paying for its
library)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from productsmanager.adapters.fernet_secret_box import FernetSecretBox, KeylessSecretBox, embedded_key, new_key
from productsmanager.application.events import EventBus
from productsmanager.application.health import DependencyCheck
from productsmanager.application.ports import Clock, SecretBox
from productsmanager.config import Config, ConfigError

# Redis answers in well under a millisecond: a connection not made in 2 s, or a reply not read in 3 s, means
# it is down or unreachable, and the request answers 503 instead of waiting (redis-py makes no retry by default).
REDIS_CONNECT_TIMEOUT_SECONDS = 2.0
REDIS_SOCKET_TIMEOUT_SECONDS = 3.0


def build_secret_box(config: Config) -> SecretBox:
    """The configured keys; embedded, a key generated beside the database. A production container built
    without keys (the commands refuse to start so) gets a box that raises `SecretKeysMissing` on use, so that
    only what needs a secret fails, and says why. An invalid key raises ConfigError."""
    if config.secret_keys:
        try:
            return FernetSecretBox(config.secret_keys)
        except ValueError as error:
            raise ConfigError(str(error)) from None
    if not config.embedded:
        return KeylessSecretBox()
    return FernetSecretBox([embedded_key(config.data_dir)])


def generate_secret_key() -> str:
    """A new key for `PM_SECRET_KEYS` (`productsmanager secrets generate-key`)."""
    return new_key()


def build_outbound_guard(config: Config) -> Any:
    """The one outbound guard every connection made on a user's behalf goes through (FTP, Odoo...)."""
    from productsmanager.adapters.http.outbound_guard import OutboundGuard

    return OutboundGuard(config.outbound_allow)


def short_timeout_redis(url: str) -> Any:
    """Every Redis client of the product (shared state, the broker) is made here, with the timeouts above."""
    from redis import Redis

    return Redis.from_url(
        url,
        socket_timeout=REDIS_SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECONDS,
        health_check_interval=30,
    )


def build_redis_client(config: Config) -> Any:
    """One client (and connection pool) per process, with timeouts so a stalled Redis fails a request
    instead of hanging it."""
    if not config.redis_url:
        raise ConfigError("PM_REDIS_URL is required for the Redis stores")
    return short_timeout_redis(config.redis_url)


def build_health_checks(config: Config, engine: Engine) -> list[DependencyCheck]:
    """What `GET /api/v1/health` checks: the database, the broker (Redis, or the in-process queue of the
    embedded default) and the media store (the S3 bucket, or the media directory)."""
    from productsmanager.adapters.filesystem.health import FilesystemStoreCheck
    from productsmanager.adapters.sqlalchemy.health import SqlAlchemyDatabaseCheck
    from productsmanager.adapters.tasks.health import InlineBrokerCheck

    checks: list[DependencyCheck] = [SqlAlchemyDatabaseCheck(engine)]
    if config.redis_url:
        from productsmanager.adapters.redis.health import RedisBrokerCheck

        checks.append(RedisBrokerCheck(config.redis_url))
    else:
        checks.append(InlineBrokerCheck())
    if config.media_backend == "s3" and config.s3_endpoint:
        from productsmanager.adapters.s3.health import S3BucketCheck

        checks.append(
            S3BucketCheck(
                endpoint_url=config.s3_endpoint,
                bucket=config.s3_bucket,
                region=config.s3_region,
                access_key=config.s3_access_key,
                secret_key=config.s3_secret_key,
            )
        )
    else:
        checks.append(FilesystemStoreCheck(config.media_dir))
    return checks


def build_database_schema(engine: Engine) -> Any:
    """Migrations for the command line; imported on first use, so that API workers never load Alembic."""
    from productsmanager.adapters.sqlalchemy.database_schema import AlembicDatabaseSchema

    return AlembicDatabaseSchema(engine)


def build_redis_event_bus(client: Any) -> EventBus:
    from productsmanager.adapters.redis.event_bus import RedisEventBus

    return RedisEventBus(client)


def build_embedded_event_bus(engine: Engine, clock: Clock) -> EventBus:
    """The database keeps the last states, so that every process of `serve` sees every other's events."""
    from productsmanager.adapters.events.embedded import EmbeddedEventBus
    from productsmanager.adapters.sqlalchemy.event_states import SqlAlchemyEventStates

    return EmbeddedEventBus(SqlAlchemyEventStates(engine, clock))
