"""Each adapter turns its driver's "cannot reach the server" into the ports' `DependencyUnavailable`, fast:
Redis stores and the Dramatiq queue on a closed port or a server that never answers, the engine on a closed
port and on a pooled connection whose server went away, the S3 store on a closed endpoint. Other errors
(a bad statement) are not disguised as outages. The CLI says which dependency is down, without a traceback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dramatiq
import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import exc, text
from sqlalchemy.engine import make_url

from productsmanager.adapters.redis.rate_counter import RedisRateCounter
from productsmanager.adapters.redis.reset_tokens import RedisResetTokenStore
from productsmanager.adapters.s3.media_store import S3MediaStore
from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.media.ports import MediaStoreError
from productsmanager.config import Config
from productsmanager.container.factories import build_redis_client, build_task_queue
from productsmanager.domain.password_reset import ResetTokenRecord
from productsmanager.entrypoints.cli.main import cli
from tests.integration import hung_server
from tests.integration.tcp_proxy import closed_port, tcp_proxy

pytestmark = pytest.mark.integration


def _redis_config(url: str) -> Config:
    return Config.from_env({"PM_REDIS_URL": url, "PM_DATA_DIR": "/tmp/pm-outage-unused"})


@pytest.fixture(name="silent_server")
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers: a hung server."""
    with hung_server.silent_server() as port:
        yield port


def _unavailable(call: Callable[[], Any], dependency: str, within: float) -> DependencyUnavailable:
    started = time.monotonic()
    with pytest.raises(DependencyUnavailable) as raised:
        call()
    assert time.monotonic() - started < within
    assert raised.value.dependency == dependency
    return raised.value


def test_redis_stores_on_a_closed_port_are_unavailable_at_once() -> None:
    client = build_redis_client(_redis_config(f"redis://127.0.0.1:{closed_port()}/0"))
    counter, tokens = RedisRateCounter(client), RedisResetTokenStore(client)
    record = ResetTokenRecord("hash", uuid.uuid4(), datetime.now(UTC))
    for call in (
        lambda: counter.hit("login", timedelta(minutes=1)),
        lambda: counter.count("login"),
        lambda: tokens.issue(record, timedelta(minutes=5)),
        lambda: tokens.find("hash"),
        lambda: tokens.take("hash"),
    ):
        _unavailable(call, "redis", within=1.0)


def test_a_redis_that_never_answers_fails_within_its_timeouts(silent_server: int) -> None:
    """A request does not hang on a stalled Redis: the client's read timeout (3 s) ends it."""
    client = build_redis_client(_redis_config(f"redis://127.0.0.1:{silent_server}/0"))
    _unavailable(lambda: RedisRateCounter(client).count("login"), "redis", within=4.0)


def test_a_redis_that_goes_away_under_a_pooled_connection_is_unavailable() -> None:
    with tcp_proxy("127.0.0.1", 6379) as proxy:
        client = build_redis_client(_redis_config(f"redis://127.0.0.1:{proxy.port}/7"))
        counter = RedisRateCounter(client, prefix=f"pm-test-{uuid.uuid4().hex[:8]}:")
        assert counter.hit("login", timedelta(seconds=30)) == 1  # a real Redis behind the proxy
        proxy.stop()
        _unavailable(lambda: counter.hit("login", timedelta(seconds=30)), "redis", within=1.0)


def test_the_task_queue_on_a_closed_port_is_an_unavailable_broker() -> None:
    config = _redis_config(f"redis://127.0.0.1:{closed_port()}/0")
    queue = build_task_queue(config, {}, BackgroundRunner)
    error = _unavailable(lambda: queue.run_import(uuid.uuid4()), "broker", within=1.0)
    assert "run_import" in str(error)
    _unavailable(lambda: queue.send_password_reset("ann@example.com"), "broker", within=1.0)


def test_the_task_queue_on_a_redis_that_never_answers_fails_within_its_timeouts(silent_server: int) -> None:
    queue = build_task_queue(_redis_config(f"redis://127.0.0.1:{silent_server}/0"), {}, BackgroundRunner)
    _unavailable(lambda: queue.run_import(uuid.uuid4()), "broker", within=4.0)


def test_the_workers_broker_on_a_redis_that_never_answers_gives_up_within_its_timeouts(silent_server: int) -> None:
    """The broker a worker consumes from has the same timeouts: its consumer fails (and dramatiq restarts it)
    instead of waiting forever on a Redis that stopped answering."""
    from redis.exceptions import TimeoutError as RedisTimeout

    from productsmanager.entrypoints.dramatiq.broker import setup_broker

    previous = dramatiq.broker.global_broker  # as it was, without making a default broker to read it
    try:
        broker = setup_broker(_redis_config(f"redis://127.0.0.1:{silent_server}/0"))
        assert dramatiq.get_broker() is broker
        settings = broker.client.connection_pool.connection_kwargs  # type: ignore[attr-defined]
        assert (settings["socket_timeout"], settings["socket_connect_timeout"]) == (3.0, 2.0)
        started = time.monotonic()
        with pytest.raises(RedisTimeout):
            next(iter(broker.consume("default", timeout=100)))
        assert time.monotonic() - started < 4.0
    finally:
        dramatiq.set_broker(previous)  # type: ignore[arg-type]


def test_the_engine_on_a_closed_port_is_an_unavailable_database() -> None:
    engine = build_engine(f"postgresql://postgres@127.0.0.1:{closed_port()}/nothing")

    def select() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    _unavailable(select, "database", within=1.0)


def test_a_pooled_connection_whose_server_went_away_is_an_unavailable_database(
    postgresql_database_url: str,
) -> None:
    url = make_url(postgresql_database_url)
    with tcp_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        engine = build_engine(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
            with pytest.raises(exc.ProgrammingError):  # a bad statement stays what it is
                connection.execute(text("SELECT * FROM no_such_table"))
            connection.rollback()
            proxy.stop()
            with pytest.raises(DependencyUnavailable) as raised:
                connection.execute(text("SELECT 1"))
        assert raised.value.dependency == "database"

        def select() -> None:
            with engine.connect() as fresh:
                fresh.execute(text("SELECT 1"))

        _unavailable(select, "database", within=2.0)  # the pool does not hand out the dead connection
        engine.dispose()


def test_the_s3_store_on_a_closed_endpoint_is_an_unavailable_media_store() -> None:
    store = S3MediaStore(endpoint_url=f"http://127.0.0.1:{closed_port()}", access_key="k", secret_key="s")
    error = _unavailable(lambda: store.get("products/ab/x.jpg"), "media_store", within=10.0)
    assert isinstance(error, MediaStoreError)  # callers that handle store errors still do


def test_a_database_that_is_down_ends_a_command_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    down = {
        "PM_DATA_DIR": str(tmp_path),
        "PM_REDIS_URL": None,
        "PM_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{closed_port()}/nothing",
        "PM_SECRET_KEYS": Fernet.generate_key().decode(),
    }
    args = ["users", "create-admin", "--email", "a@example.com", "--password", "Secret123!long"]
    result = CliRunner().invoke(cli, args, env=down)
    assert result.exit_code == 1, result.output
    assert "database is unavailable" in result.output and "try again" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
